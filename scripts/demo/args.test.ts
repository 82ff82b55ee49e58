import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { localDataDir, readAdminKey, writeAdminKey } from "../lib/local-secrets.ts";
import { parseDemoArgs } from "./args.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The demo's key lookup as main.ts wires it, over a data folder holding `key` (or nothing). */
function withSavedKey(key: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-demo-args-"));
  dirs.push(dataDir);
  if (key !== undefined) writeAdminKey(dataDir, key);
  const env = { VIGIL_DATA_DIR: dataDir };
  return { env, saved: () => readAdminKey(localDataDir(env)) };
}

describe("parseDemoArgs: the API key", () => {
  it("uses the admin key npm start saved when neither --key nor VIGIL_API_KEY is given", () => {
    const { env, saved } = withSavedKey("vgl_saved000_key");
    expect(parseDemoArgs([], env, saved).key).toBe("vgl_saved000_key");
  });

  it("prefers --key, then VIGIL_API_KEY, over the saved key", () => {
    const { env, saved } = withSavedKey("vgl_saved000_key");
    expect(parseDemoArgs(["--key", "vgl_flag0000_key"], { ...env, VIGIL_API_KEY: "vgl_env00000_key" }, saved).key).toBe("vgl_flag0000_key");
    expect(parseDemoArgs([], { ...env, VIGIL_API_KEY: "vgl_env00000_key" }, saved).key).toBe("vgl_env00000_key");
  });

  it("says where keys come from when there is none", () => {
    const { env, saved } = withSavedKey(undefined);
    expect(() => parseDemoArgs([], env, saved)).toThrow(/pass --key, set VIGIL_API_KEY, or run `npm start`/);
  });
});
