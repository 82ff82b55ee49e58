// "Works in Deno and Bun" (issue 20): both run the TypeScript source as is. Each runtime
// (from the npm packages `deno` and `bun` in devDependencies) sends 1,200 records through
// the client to a local server that answers the first batch with a 503 after storing it
// and loses another reply: every record is counted once, the retries reuse the batch id.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultServer, type FaultServer } from "../testing/fault-server.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
let server: FaultServer;
let dir: string;

beforeAll(async () => {
  server = await startFaultServer();
  dir = mkdtempSync(join(tmpdir(), "vigil-client-runtimes-"));
  writeFileSync(join(dir, "run.ts"), `
    import { Vigil } from ${JSON.stringify(join(here, "index.ts"))};
    const url = (globalThis as any).Deno ? (globalThis as any).Deno.args[0] : (globalThis as any).process.argv[2];
    const v = new Vigil({ url, apiKey: "k", batchSize: 500, backoff: { baseMs: 10, maxMs: 50 }, flushOnExit: false });
    for (let i = 0; i < 1200; i++) await v.log({ model: "m", version: "v1", predictionId: "p" + i, features: { x: i }, prediction: 1 });
    await v.close();
    console.log(JSON.stringify(v.stats()));
  `);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a child without blocking this process's event loop, which serves its requests. */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const runtimes: { name: string; command: () => string; args: (script: string) => string[] }[] = [
  { name: "Bun", command: () => bin("bun"), args: (script) => ["run", script, server.url] },
  // --allow-net only: the client needs the network and nothing else.
  { name: "Deno", command: () => bin("deno"), args: (script) => ["run", "--quiet", "--no-config", "--allow-net", script, server.url] },
];

describe.each(runtimes)("@vigil/client under $name", ({ command, args }) => {
  it("batches with gzip, retries a stored-but-failed batch with its id, and counts every record once", async () => {
    expect(existsSync(command()), `${command()} (npm ci installs it)`).toBe(true);
    const before = server.counted();
    const requestsBefore = server.requests.length;
    server.script({ status: 503 }, { lostReply: true });
    const result = await run(command(), args(join(dir, "run.ts")));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ delivered: 1200, duplicateBatches: 1, retries: 2, failed: 0 });
    expect(server.counted() - before).toBe(1200);
    const requests = server.requests.slice(requestsBefore);
    expect(requests.every((r) => r.headers["content-encoding"] === "gzip")).toBe(true);
  }, 60_000);
});
