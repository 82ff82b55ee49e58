// deliver() against a local server that fails on cue (testing/fault-server.ts).
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFaultServer, type FaultServer } from "../testing/fault-server.ts";
import { VigilError } from "./errors.ts";
import { deliver, type TransportOptions } from "./transport.ts";
import type { IngestReply } from "./wire.ts";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(() => server.close());

function options(overrides: Partial<TransportOptions> = {}): TransportOptions {
  return { url: server.url, apiKey: "vgl_test_key", fetch, backoff: { baseMs: 20, maxMs: 200 }, maxRetries: 5, timeoutMs: 5_000, gzip: true, ...overrides };
}

const batch = (n: number, batchId = "b-1") => ({
  model: "m",
  version: "v1",
  batch_id: batchId,
  events: Array.from({ length: n }, (_, i) => ({ prediction_id: `p${i}`, features: { x: i }, prediction: 1 })),
});

describe("deliver", () => {
  it("retries 503, 500 and a cut connection, re-sending the same bytes (same batch_id) each time", async () => {
    server.script({ status: 503 }, { status: 500 }, { reset: true });
    const retries: string[] = [];
    const reply = await deliver<IngestReply>(options({ onRetry: (r) => retries.push(r.reason) }), "/v1/ingest", batch(50));
    expect(reply).toMatchObject({ accepted: 50, duplicate: false, batch_id: "b-1" });
    expect(server.requests).toHaveLength(4);
    expect(new Set(server.requests.map((r) => r.raw.toString("base64"))).size).toBe(1);
    expect(retries.slice(0, 2)).toEqual(["503 status_503", "500 status_500"]);
    expect(retries[2]).toMatch(/fetch failed|socket|other side closed/i);
    expect(server.counted()).toBe(50);
  });

  it("a stored batch whose reply was lost is retried and counted once (Vigil answers duplicate)", async () => {
    server.script({ lostReply: true });
    const reply = await deliver<IngestReply>(options(), "/v1/ingest", batch(10));
    expect(reply.duplicate).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(server.counted()).toBe(10);
  });

  it("waits at least Retry-After on a 429", async () => {
    server.script({ status: 429, retryAfter: "1", code: "rate_limited" });
    await deliver(options(), "/v1/ingest", batch(1));
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("does not retry a 4xx that is the batch's fault, and surfaces the error body", async () => {
    server.script({ status: 422, code: "schema_mismatch" });
    const error = await deliver(options(), "/v1/ingest", batch(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toMatchObject({ status: 422, code: "schema_mismatch", message: "scripted 422" });
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after maxRetries with the last failure", async () => {
    server.script(...Array.from({ length: 10 }, () => ({ status: 502 })));
    const error = await deliver(options({ maxRetries: 2 }), "/v1/ingest", batch(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, message: expect.stringMatching(/^gave up after 3 attempts/) });
    expect(server.requests).toHaveLength(3);
  });

  it("gzips bodies over 1 KiB and sends small ones plain, with the key as a Bearer token", async () => {
    await deliver(options(), "/v1/ingest", batch(100, "big"));
    await deliver(options(), "/v1/ingest", batch(1, "small"));
    const [big, small] = server.requests;
    expect(big!.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(big!.raw).toString()).events).toHaveLength(100);
    expect(big!.raw.length).toBeLessThan(JSON.stringify(batch(100, "big")).length / 3);
    expect(small!.headers["content-encoding"]).toBeUndefined();
    expect(small!.headers.authorization).toBe("Bearer vgl_test_key");
  });

  it("treats an unreachable server as a network error and retries it", async () => {
    const url = server.url;
    await server.close();
    const retries: number[] = [];
    const error = await deliver({ ...options({ maxRetries: 2, onRetry: (r) => retries.push(r.attempt) }), url }, "/v1/ingest", batch(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
    expect(retries).toEqual([1, 2]);
    server = await startFaultServer();
  });
});
