// "Works in Node 20+": the package compiled by tsconfig.build.json (dist/, plain ESM)
// sends through a real Node 20, the machine's /usr/bin/node, to a local server.
// Node 22.18+ runs src/ directly; every other test here does.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFaultServer, type FaultServer } from "../testing/fault-server.ts";

const NODE20 = "/usr/bin/node";
const here = fileURLToPath(new URL("..", import.meta.url));
let server: FaultServer;
let out: string;

beforeAll(async () => {
  server = await startFaultServer();
  out = mkdtempSync(join(tmpdir(), "vigil-client-dist-"));
});
afterAll(async () => {
  await server.close();
  rmSync(out, { recursive: true, force: true });
});

it("the compiled package batches, retries and counts once under Node 20", async (ctx) => {
  const version = existsSync(NODE20) ? execFileSync(NODE20, ["--version"], { encoding: "utf8" }).trim() : "";
  if (!version.startsWith("v20.")) return ctx.skip(`no Node 20 at ${NODE20} (found ${version || "none"})`);
  // TypeScript 5.9 by path: node_modules/.bin/tsc may be either it or TypeScript 7 (`typescript-native`).
  const tsc = join(here, "..", "..", "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.build.json"), "--outDir", out], { stdio: "pipe" });
  server.script({ status: 503 }, { lostReply: true });
  writeFileSync(join(out, "run.mjs"), `
    import { Vigil } from "./index.js";
    const v = new Vigil({ url: process.argv[2], apiKey: "k", batchSize: 500, backoff: { baseMs: 10, maxMs: 50 }, flushOnExit: false });
    for (let i = 0; i < 1200; i++) await v.log({ model: "m", version: "v1", predictionId: "p" + i, features: { x: i }, prediction: 1 });
    await v.close();
    console.log(JSON.stringify({ node: process.version, ...v.stats() }));
  `);
  // Not spawnSync: the server answering it lives in this process's event loop.
  const run = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    const child = spawn(NODE20, [join(out, "run.mjs"), server.url]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", () => resolve({ stdout, stderr }));
  });
  expect(run.stderr).toBe("");
  expect(JSON.parse(run.stdout)).toMatchObject({ node: version, delivered: 1200, duplicateBatches: 1, retries: 2, failed: 0 });
  expect(server.counted()).toBe(1200);
  expect(server.requests.some((r) => r.headers["content-encoding"] === "gzip")).toBe(true);
});
