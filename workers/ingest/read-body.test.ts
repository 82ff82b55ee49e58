// Batch bodies are held to their batch limit's structure while they are read: a gzip bomb
// (30 MB of `{},` in 29 KB) is refused with a 413 naming the limit before JSON.parse, and a
// streamed body stops being read once its budget is spent. Real batches pass.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { CONTAINERS_PER_ITEM, ELEMENTS_PER_ITEM, ENVELOPE, type ShapeLimits } from "./json-shape.ts";
import { MAX_EVENTS_PER_BATCH } from "./limits.ts";
import { readBodyText } from "./read-body.ts";

const EVENTS: ShapeLimits = { maxItems: MAX_EVENTS_PER_BATCH, items: "events", code: "too_many_events", lines: false };
const HEAD = '{"model":"bomb","version":"v1","events":[';

/** A body produced on demand, `unit` repeated `times` times between `head` and `tail`, counting what was pulled. */
function lazyBody(head: string, unit: string, times: number, tail: string) {
  const encoder = new TextEncoder();
  const perChunk = Math.max(1, Math.floor(65_536 / unit.length));
  let left = times;
  let started = false;
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      let text = started ? "" : head;
      started = true;
      const n = Math.min(left, perChunk);
      text += unit.repeat(n);
      left -= n;
      if (left === 0) text += tail;
      const bytes = new Uint8Array(encoder.encode(text));
      pulled.bytes += bytes.byteLength;
      controller.enqueue(bytes);
      if (left === 0) controller.close();
    },
  });
  return { stream, pulled };
}

async function gzip(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(stream.pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

/** The 10-million-empty-events bomb of the issue, gzipped (about 29 KB). */
async function emptyEventsBomb(): Promise<Uint8Array<ArrayBuffer>> {
  return gzip(lazyBody(HEAD, "{},", 10_000_000 - 1, "{}]}").stream);
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("http://vigil.test/v1/ingest", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

async function refusal(read: Promise<unknown>): Promise<ApiError> {
  const error = await read.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("readBodyText with a batch's structural budget", () => {
  it("refuses the 29 KB gzip bomb of 10 million empty events with a 413 naming the batch limit", async () => {
    const bomb = await emptyEventsBomb();
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    const error = await refusal(readBodyText(post(bomb, { "content-encoding": "gzip" }), EVENTS));
    expect(error.status).toBe(413);
    expect(error.code).toBe("too_many_events");
    expect(error.message).toContain(`more than ${MAX_EVENTS_PER_BATCH} events`);
    expect(error.details).toEqual({
      limit_items: MAX_EVENTS_PER_BATCH,
      limit_containers: MAX_EVENTS_PER_BATCH * CONTAINERS_PER_ITEM + ENVELOPE,
      limit_elements: MAX_EVENTS_PER_BATCH * ELEMENTS_PER_ITEM + ENVELOPE,
    });
  });

  it("stops reading a streamed body once its budget is spent, long before the byte limit", async () => {
    // 30 MB of empty events without Content-Length: the old reader pulled 8 MB, up to its byte limit.
    const { stream, pulled } = lazyBody(HEAD, "{},", 10_000_000, "{}]}");
    const error = await refusal(readBodyText(post(stream), EVENTS));
    expect(error.code).toBe("too_many_events");
    expect(pulled.bytes).toBeLessThan(1024 * 1024);
  });

  it("counts array elements too: a bomb of numbers is refused", async () => {
    const bomb = await gzip(lazyBody(HEAD, "1,", 15_000_000, "1]}").stream);
    const error = await refusal(readBodyText(post(bomb, { "content-encoding": "gzip" }), EVENTS));
    expect(error.code).toBe("too_many_events");
  });

  it("counts NDJSON lines", async () => {
    const { stream } = lazyBody("", "1\n", 3 * MAX_EVENTS_PER_BATCH, "");
    const error = await refusal(readBodyText(post(stream), { ...EVENTS, lines: true }));
    expect(error.message).toContain(`more than ${2 * MAX_EVENTS_PER_BATCH + ENVELOPE} lines`);
  });

  it("passes a full batch of 10,000 events with 20 features, and braces inside strings", async () => {
    const event = (i: number) => ({
      prediction_id: `p-${i}`, timestamp: "2026-11-26T10:00:00Z", prediction: i % 2, score: 0.5, segment: { region: "north" },
      features: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, j % 4 === 0 ? `{[{"\\{,,` : i * j + 0.25])),
    });
    const text = JSON.stringify({ model: "m", version: "v1", events: Array.from({ length: MAX_EVENTS_PER_BATCH }, (_, i) => event(i)) });
    expect(await readBodyText(post(text), EVENTS)).toBe(text);
    const zipped = await gzip(new Response(text).body!);
    expect(await readBodyText(post(zipped, { "content-encoding": "gzip" }), EVENTS)).toBe(text);
  });
});

describe("POST /v1/ingest with the gzip bomb", () => {
  let key = "";
  beforeAll(async () => {
    key = await withDb(async (db) => (await seedKey(db, (await seedOrg(db)).orgId, ["ingest"])).key);
  });

  it("answers 413 too_many_events naming the limit, in the shared error shape", async () => {
    const res = await exports.default.fetch(post(await emptyEventsBomb(), { "content-encoding": "gzip", authorization: `Bearer ${key}` }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string; details: { limit_items: number } } };
    expect(body.error.code).toBe("too_many_events");
    expect(body.error.message).toContain(`more than ${MAX_EVENTS_PER_BATCH} events`);
    expect(body.error.details.limit_items).toBe(MAX_EVENTS_PER_BATCH);
  });
});
