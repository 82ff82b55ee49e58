// kill -9 workerd mid-stream and restart on the same data folder (kill9.ts): every
// event acknowledged with a 2xx is counted exactly once.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./kill9.ts", import.meta.url));

describe("kill -9 workerd during ingest", () => {
  it("counts every acknowledged event exactly once after the restart", async () => {
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [script, "--batches", "80", "--size", "500", "--kill-after", "25"], { timeout: 600_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }));
    });
    expect(out).toMatch(/kill -9 workerd \d+/);
    expect(out).toContain("events acknowledged (sum of 2xx accepted): 40000; expected 40000");
    expect(out).toContain("monitor counted: 40000");
    expect(out, out).toContain("PASS");
    expect(code, out).toBe(0);
  }, 660_000);
});
