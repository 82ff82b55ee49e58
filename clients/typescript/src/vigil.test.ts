// The client's batching, flushing, grouping and overflow policy against a local server
// that fails on cue (testing/fault-server.ts). Retries against the real stack:
// clients/senders.e2e.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFaultServer, type FaultServer } from "../testing/fault-server.ts";
import type { VigilError } from "./errors.ts";
import { Vigil, type VigilOptions } from "./vigil.ts";

let server: FaultServer;
let clients: Vigil[] = [];
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  server.release();
  await Promise.all(clients.map((c) => c.close({ timeoutMs: 1_000 })));
  clients = [];
  await server.close();
});

function client(options: Partial<VigilOptions> = {}): Vigil {
  const vigil = new Vigil({ url: server.url, apiKey: "vgl_test", backoff: { baseMs: 10, maxMs: 50 }, flushOnExit: false, ...options });
  clients.push(vigil);
  return vigil;
}

const event = (i: number, model = "m", version = "v1") => ({ model, version, predictionId: `p${i}`, features: { x: i }, prediction: i % 2, score: 0.5 });

describe("Vigil client", () => {
  it("sends full batches as soon as they fill, and the rest on flush()", async () => {
    const vigil = client({ batchSize: 500, flushIntervalMs: 60_000 });
    for (let i = 0; i < 1_200; i++) void vigil.log(event(i));
    await expect.poll(() => server.requests.length).toBe(2);
    await vigil.flush();
    expect(server.requests.map((r) => (r.body.events as unknown[]).length)).toEqual([500, 500, 200]);
    expect(server.counted()).toBe(1_200);
    expect(vigil.stats()).toMatchObject({ delivered: 1_200, queued: 0, inFlight: 0, failed: 0, dropped: 0 });
  });

  it("sends a partial batch flushIntervalMs after its first record", async () => {
    const vigil = client({ flushIntervalMs: 150 });
    const t0 = Date.now();
    void vigil.log(event(1));
    void vigil.log(event(2));
    await expect.poll(() => server.requests.length, { timeout: 2_000 }).toBe(1);
    expect(server.requests[0]!.at - t0).toBeGreaterThanOrEqual(140);
    expect(server.requests[0]!.body.events).toHaveLength(2);
  });

  it("keeps model versions, actuals and outcomes in separate batches, each with its route and shape", async () => {
    const vigil = client();
    void vigil.log(event(1, "a", "v1"));
    void vigil.log(event(2, "a", "v2"));
    void vigil.log(event(3, "a", "v1"));
    void vigil.logActual({ model: "a", version: "v1", predictionId: "p1", actual: 1, timestamp: new Date(0) });
    void vigil.logOutcome({ model: "a", kpi: "revenue", value: 12.5, predictionId: "p1" });
    void vigil.logOutcome({ model: "a", version: "v2", kpi: "revenue", value: 3, segment: { region: "north" } });
    await vigil.flush();
    const byPath = server.requests.map((r) => [r.path, r.body] as const);
    expect(byPath).toContainEqual(["/v1/ingest", expect.objectContaining({ model: "a", version: "v1", events: [expect.objectContaining({ prediction_id: "p1", score: 0.5 }), expect.objectContaining({ prediction_id: "p3" })] })]);
    expect(byPath).toContainEqual(["/v1/ingest", expect.objectContaining({ version: "v2", events: [expect.objectContaining({ prediction_id: "p2" })] })]);
    expect(byPath).toContainEqual(["/v1/actuals", { model: "a", version: "v1", actuals: [{ prediction_id: "p1", actual: 1, timestamp: "1970-01-01T00:00:00.000Z" }] }]);
    expect(byPath).toContainEqual(["/v1/outcomes", { model: "a", batch_id: expect.any(String), outcomes: [{ kpi: "revenue", value: 12.5, prediction_id: "p1" }] }]);
    expect(byPath).toContainEqual(["/v1/outcomes", { model: "a", version: "v2", batch_id: expect.any(String), outcomes: [{ kpi: "revenue", value: 3, segment: { region: "north" } }] }]);
    for (const r of server.requests.filter((r) => r.path === "/v1/ingest")) expect(r.body.batch_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a retry after a forced 503 and after a lost reply is not double-counted", async () => {
    server.script({ status: 503 }, { lostReply: true });
    const vigil = client({ batchSize: 100 });
    for (let i = 0; i < 300; i++) void vigil.log(event(i));
    await vigil.flush();
    expect(server.counted()).toBe(300);
    expect(new Set(server.countedIds()).size).toBe(300);
    expect(vigil.stats()).toMatchObject({ delivered: 300, duplicateBatches: 1, retries: 2, failed: 0 });
  });

  it("drop-oldest: with Vigil stalled, a full queue drops the oldest records and counts them", async () => {
    server.hold();
    const vigil = client({ batchSize: 10, maxQueue: 50, concurrency: 1, flushIntervalMs: 10 });
    for (let i = 0; i < 10; i++) void vigil.log(event(i));
    await expect.poll(() => vigil.stats().inFlight).toBe(1);
    for (let i = 10; i < 100; i++) expect(vigil.log(event(i))).toBeInstanceOf(Promise);
    expect(vigil.stats()).toMatchObject({ queued: 50, dropped: 40 });
    server.release();
    await vigil.flush();
    const ids = server.countedIds();
    expect(ids).toHaveLength(60);
    expect(ids.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
    expect(ids.slice(10)).toEqual(Array.from({ length: 50 }, (_, i) => `p${i + 50}`));
  });

  it("block: with Vigil stalled, log() waits for room and nothing is dropped", async () => {
    server.hold();
    const vigil = client({ batchSize: 10, maxQueue: 20, concurrency: 1, overflow: "block", flushIntervalMs: 10 });
    let resolved = 0;
    const logs = Array.from({ length: 60 }, (_, i) => vigil.log(event(i)).then(() => resolved++));
    await expect.poll(() => vigil.stats().inFlight).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(resolved).toBe(30);
    expect(vigil.stats()).toMatchObject({ queued: 20, dropped: 0 });
    server.release();
    await Promise.all(logs);
    await vigil.flush();
    expect(server.counted()).toBe(60);
    expect(vigil.stats().dropped).toBe(0);
  });

  it("a batch refused for good reaches onError with Vigil's code and counts as failed; the others go on", async () => {
    server.script({ status: 400, code: "validation_failed" });
    const errors: [VigilError, unknown][] = [];
    const vigil = client({ batchSize: 5, onError: (e, b) => errors.push([e, b]) });
    for (let i = 0; i < 10; i++) void vigil.log(event(i));
    await vigil.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toMatchObject({ status: 400, code: "validation_failed" });
    expect(errors[0]![1]).toMatchObject({ kind: "event", model: "m", version: "v1", records: 5 });
    expect(vigil.stats()).toMatchObject({ delivered: 5, failed: 5 });
  });

  it("close() with a timeout gives up a batch still retrying, and refuses later records", async () => {
    server.script(...Array.from({ length: 50 }, () => ({ status: 503 })));
    const vigil = client({ backoff: { baseMs: 5_000, maxMs: 5_000 } });
    void vigil.log(event(1));
    const t0 = Date.now();
    await vigil.close({ timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(vigil.stats()).toMatchObject({ failed: 1, delivered: 0 });
    expect(() => vigil.log(event(2))).toThrow(/closed/);
  });

  it("sendBatch: a batch with a stable id sent twice is stored once; a 503 on the way is retried", async () => {
    server.script({ status: 503 });
    const vigil = client();
    const batch = { model: "m", version: "v1", batch_id: "import:file-1:0", events: [{ prediction_id: "p1", features: { x: 1 }, prediction: 1 }] };
    expect(await vigil.sendBatch(batch)).toMatchObject({ accepted: 1, duplicate: false, batch_id: "import:file-1:0" });
    expect(await vigil.sendBatch(batch)).toMatchObject({ accepted: 1, duplicate: true });
    expect(server.counted()).toBe(1);
    expect(vigil.stats()).toMatchObject({ delivered: 2, duplicateBatches: 1, retries: 1 });
  });

  it("checks its options and records at the call", () => {
    expect(() => new Vigil({ url: "ftp://x", apiKey: "k" })).toThrow(/url must be an http/);
    expect(() => new Vigil({ url: "http://x", apiKey: "" })).toThrow(/apiKey is required/);
    expect(() => new Vigil({ url: "http://x", apiKey: "k", batchSize: 20_000, flushOnExit: false })).toThrow(/batchSize must be an integer from 1 to 10000: 20000/);
    const vigil = client();
    expect(() => vigil.log({ ...event(1), predictionId: "" })).toThrow(/predictionId must be a non-empty string/);
    expect(() => vigil.logOutcome({ model: "m", kpi: "k", value: Number.NaN })).toThrow(/value must be a finite number/);
  });
});
