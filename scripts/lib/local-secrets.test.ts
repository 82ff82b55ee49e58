import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { envFileText, envFileValue, readAdminKey, readWorkerSecret, writeAdminKey, writeWorkerSecrets } from "./local-secrets.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "vigil-secrets-"));
  dirs.push(d);
  return d;
};
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("local secret files", () => {
  it("writes the worker secrets 0600, replacing a wider file rather than keeping its mode", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "worker-secrets.env"), "old", { mode: 0o644 });
    chmodSync(join(dir, "worker-secrets.env"), 0o644);
    const path = writeWorkerSecrets(dir, { DATABASE_URL: "postgres://postgres:s3cret@127.0.0.1:5000/postgres", INSTANCE_ADMIN_TOKEN: "tok" });
    expect(modeOf(path)).toBe(0o600);
    expect(readWorkerSecret(dir, "DATABASE_URL")).toBe("postgres://postgres:s3cret@127.0.0.1:5000/postgres");
    expect(readWorkerSecret(dir, "INSTANCE_ADMIN_TOKEN")).toBe("tok");
    expect(readWorkerSecret(dir, "MISSING")).toBeUndefined();
  });

  it("writes dotenv lines that keep $ and # literal for wrangler (single quotes, \\$ for dotenv-expand)", () => {
    const text = envFileText({ KAFKA_REST_URL: "https://u:pa$$w#rd@kafka.example/$HOME" });
    expect(text).toBe("KAFKA_REST_URL='https://u:pa\\$\\$w#rd@kafka.example/\\$HOME'\n");
    expect(envFileValue(text, "KAFKA_REST_URL")).toBe("https://u:pa$$w#rd@kafka.example/$HOME");
  });

  it("refuses values it cannot write literally", () => {
    expect(() => envFileText({ A: "it's" })).toThrow(/A holds a quote/);
    expect(() => envFileText({ A: "two\nlines" })).toThrow(/A holds a quote, a line break/);
    expect(() => envFileText({ A: "ends\\" })).toThrow(/trailing backslash/);
    expect(() => envFileText({ "bad name": "x" })).toThrow(/not an environment variable name/);
  });

  it("keeps the admin key 0600 and reads it back trimmed", () => {
    const dir = tempDir();
    const path = writeAdminKey(dir, "vgl_0123abcd_secret");
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe("vgl_0123abcd_secret\n");
    expect(readAdminKey(dir)).toBe("vgl_0123abcd_secret");
    expect(readAdminKey(tempDir())).toBeUndefined();
  });
});
