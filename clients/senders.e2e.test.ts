// The senders end to end against one `npm start`: the TypeScript SDK and the Python client
// (events sent = events counted; a retry after a forced 503, sent once Vigil had stored the
// batch, is not double-counted; a full queue drops as documented), the KServe payload
// logger's CloudEvents with the key in the URL, and `vigil import sagemaker-capture`.
// Counts are read back from the version's live totals. Also checks that the SDK's wire
// types (clients/typescript/src/wire.ts) are what this Vigil's /openapi.json generates.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Vigil } from "@vigil/client";
import { launchStack, type Stack } from "../scripts/testing/stack.ts";
import kserveV1 from "../workers/integrations/fixtures/kserve-v1-sklearn-iris.json";
import { wireTypes } from "./typescript/scripts/generate-wire-types.ts";
import { startFaultServer } from "./typescript/testing/fault-server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
let stack: Stack;

beforeAll(async () => {
  stack = await launchStack();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface Totals {
  events: number;
  batches: number;
  duplicateBatches: number;
  actuals: number;
}

async function totals(model: string, version = "v1"): Promise<Totals> {
  const res = await fetch(`${stack.base}/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/live`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  if (res.status === 404) return { events: 0, batches: 0, duplicateBatches: 0, actuals: 0 };
  expect(res.status).toBe(200);
  return ((await res.json()) as { totals: Totals }).totals;
}

const event = (i: number, model: string) => ({
  model, version: "v1", predictionId: `p-${i}`, timestamp: Date.now(),
  features: { age: 20 + (i % 50), region: ["north", "south", "east"][i % 3] }, prediction: i % 2, score: (i % 10) / 10,
});

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("senders against npm start", () => {
  it("the SDK's wire types are what this Vigil's /openapi.json generates", async () => {
    const doc = await (await fetch(`${stack.base}/openapi.json`)).json();
    expect(wireTypes(doc)).toBe(readFileSync(fileURLToPath(new URL("./typescript/src/wire.ts", import.meta.url)), "utf8"));
  });

  it("TypeScript SDK: 2,000 events sent are 2,000 counted, and their actuals join", async () => {
    const vigil = new Vigil({ url: stack.base, apiKey: stack.adminKey, flushOnExit: false });
    for (let i = 0; i < 2_000; i++) await vigil.log(event(i, "ts-e2e"));
    await vigil.flush();
    for (let i = 0; i < 2_000; i += 2) await vigil.logActual({ model: "ts-e2e", version: "v1", predictionId: `p-${i}`, actual: 1 });
    await vigil.logOutcome({ model: "ts-e2e", kpi: "revenue", value: 12.5, predictionId: "p-0" });
    await vigil.close();
    expect(vigil.stats()).toMatchObject({ delivered: 3_001, failed: 0, rejected: 0, dropped: 0, duplicateBatches: 0 });
    await expect.poll(() => totals("ts-e2e"), { timeout: 20_000 }).toMatchObject({ events: 2_000, batches: 4, actuals: 1_000, duplicateBatches: 0 });
  });

  it("TypeScript SDK: a 503 after Vigil stored the batch is retried with the same batch id and counted once", async () => {
    const proxy = await startFaultServer({ upstream: stack.base });
    proxy.script({ status: 503 });
    try {
      const vigil = new Vigil({ url: proxy.url, apiKey: stack.adminKey, backoff: { baseMs: 50, maxMs: 200 }, flushOnExit: false });
      for (let i = 0; i < 500; i++) await vigil.log(event(i, "ts-e2e-retry"));
      await vigil.close();
      expect(proxy.requests).toHaveLength(2);
      expect(proxy.requests[1]!.body.batch_id).toBe(proxy.requests[0]!.body.batch_id);
      expect(vigil.stats()).toMatchObject({ delivered: 500, retries: 1, duplicateBatches: 1, failed: 0 });
    } finally {
      await proxy.close();
    }
    await expect.poll(() => totals("ts-e2e-retry"), { timeout: 20_000 }).toMatchObject({ events: 500, batches: 1, duplicateBatches: 1 });
  });

  it("TypeScript SDK: with Vigil stalled, a full queue drops the oldest records, counts them, and Vigil counts the rest", async () => {
    const proxy = await startFaultServer({ upstream: stack.base });
    proxy.hold();
    try {
      const vigil = new Vigil({ url: proxy.url, apiKey: stack.adminKey, batchSize: 100, maxQueue: 300, concurrency: 1, flushIntervalMs: 10, flushOnExit: false });
      for (let i = 0; i < 100; i++) await vigil.log(event(i, "ts-e2e-queue"));
      await expect.poll(() => vigil.stats().inFlight).toBe(1);
      for (let i = 100; i < 1_000; i++) await vigil.log(event(i, "ts-e2e-queue"));
      expect(vigil.stats()).toMatchObject({ queued: 300, dropped: 600 });
      proxy.release();
      await vigil.close();
      expect(vigil.stats()).toMatchObject({ delivered: 400, dropped: 600, failed: 0 });
      expect(proxy.countedIds().slice(100)).toEqual(Array.from({ length: 300 }, (_, i) => `p-${i + 700}`));
    } finally {
      await proxy.close();
    }
    await expect.poll(() => totals("ts-e2e-queue"), { timeout: 20_000 }).toMatchObject({ events: 400 });
  });

  it("Python client: its unittest suite, end-to-end cases included, passes against this stack with Debian's python3 (pandas)", async () => {
    const { code, out } = await run("/usr/bin/python3", ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], {
      cwd: fileURLToPath(new URL("./python", import.meta.url)),
      env: { VIGIL_URL: stack.base, VIGIL_API_KEY: stack.adminKey },
    });
    expect(out).toMatch(/^OK$/m);
    expect(out).not.toMatch(/skipped/);
    expect(out).toMatch(/test_a_503_after_vigil_stored_the_batch_is_retried_and_counted_once .* ok/);
    expect(out).toMatch(/test_log_dataframe_and_upload_baseline .* ok/);
    expect(code).toBe(0);
  }, 120_000);

  it("KServe logger CloudEvents (the docs' example) with the key in the URL: one event per instance", async () => {
    const query = `?version=v1&key=${encodeURIComponent(stack.adminKey)}`;
    for (const half of [kserveV1.request, kserveV1.response]) {
      const res = await fetch(`${stack.base}/v1/integrations/cloudevents${query}`, { method: "POST", headers: half.headers, body: JSON.stringify(half.data) });
      expect(res.status).toBe(half === kserveV1.request ? 202 : 200);
    }
    await expect.poll(() => totals("sklearn-iris"), { timeout: 20_000 }).toMatchObject({ events: 2 });
  });

  it("vigil import sagemaker-capture: AWS's capture records become events, ground truth joins them, a re-run stores nothing", async () => {
    // AWS's records, restamped to now: a 2019 prediction is older than the 7 days the label join keeps.
    const dir = mkdtempSync(join(tmpdir(), "vigil-sm-e2e-"));
    const fixture = (name: string) => {
      const text = readFileSync(fileURLToPath(new URL(`../cli/import/fixtures/${name}`, import.meta.url)), "utf8");
      writeFileSync(join(dir, name), text.replace(/"inferenceTime":"[^"]+"/g, `"inferenceTime":"${new Date().toISOString()}"`));
      return join(dir, name);
    };
    const args = ["cli/main.ts", "import", "sagemaker-capture", fixture("capture-csv.jsonl"), fixture("capture-derived.jsonl"), "--ground-truth", fixture("ground-truth.jsonl"), "--model", "sm-e2e", "--version", "v1", "--url", stack.base, "--key", stack.adminKey];
    const first = await run(process.execPath, args);
    expect(first.out).toBe("4 capture records in 2 files: 5 events, 5 stored, 0 batches already imported, 0 rejected\n2 ground-truth labels in 1 files: 2 matched, 0 unmatched, 0 already labeled\n");
    expect(first.code).toBe(0);
    const again = await run(process.execPath, args);
    expect(again.out).toMatch(/^4 capture records in 2 files: 5 events, 0 stored, 2 batches already imported, 0 rejected\n2 ground-truth labels in 1 files: 0 matched, 0 unmatched, 2 already labeled\n$/);
    await expect.poll(() => totals("sm-e2e"), { timeout: 20_000 }).toMatchObject({ events: 5, batches: 2, duplicateBatches: 2, actuals: 2 });
  });
});
