// The demo's stream against a small stand-in for the ingest API that deduplicates batch
// ids the way the monitor does (24 h, here: the server's life), so two runs in a row show
// what a user saw: a second run must not resend the first run's ids, and a duplicate
// reply must show in the status line.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { DemoOptions } from "./args.ts";
import { reconciled, runDemo } from "./run.ts";

interface FakeIngest {
  url: string;
  batchIds: string[];
  predictionIds: Set<string>;
  /** Answer the next new batch as if its first delivery's reply had been lost: stored, then a retry sees a duplicate. */
  loseNextReply(): void;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function fakeIngest(): Promise<FakeIngest> {
  const stored = new Map<string, number>();
  const fake: FakeIngest = { url: "", batchIds: [], predictionIds: new Set(), loseNextReply: () => (loseNext = true) };
  let loseNext = false;
  let events = 0;
  server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/v1/ingest") {
      const batch = JSON.parse(text) as { batch_id: string; events: { prediction_id: string }[] };
      fake.batchIds.push(batch.batch_id);
      if (stored.has(batch.batch_id)) return reply(200, { accepted: stored.get(batch.batch_id), rejected_count: 0, duplicate: true });
      stored.set(batch.batch_id, batch.events.length);
      events += batch.events.length;
      for (const e of batch.events) fake.predictionIds.add(e.prediction_id);
      if (loseNext) {
        loseNext = false;
        return reply(503, { error: { code: "unavailable", message: "reply lost" } });
      }
      return reply(200, { accepted: batch.events.length, rejected_count: 0, duplicate: false });
    }
    if (req.url === "/v1/actuals") return reply(200, { matched: (JSON.parse(text) as { actuals: unknown[] }).actuals.length });
    if (req.url?.endsWith("/live")) return reply(200, { baseline: { status: "ready", rows: 0, target: 0 }, windows: [], totals: { events } });
    reply(404, {});
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return fake;
}

const options = (url: string): DemoOptions => ({ url, key: "vgl_test", model: "m", version: "v1", rate: 40, onset: 0, duration: 1.2, labelDelay: 0, seed: 42, json: false });

describe("runDemo", () => {
  it("gives every run its own batch and prediction ids, so a second run is counted in full", async () => {
    const fake = await fakeIngest();
    const first = await runDemo(options(fake.url), () => {}, { requested: false });
    const firstIds = new Set(fake.batchIds);
    const firstPredictions = fake.predictionIds.size;
    const second = await runDemo(options(fake.url), () => {}, { requested: false });
    expect(fake.batchIds.slice(firstIds.size).filter((id) => firstIds.has(id))).toEqual([]);
    expect(second.runId).not.toBe(first.runId);
    expect(fake.predictionIds.size).toBe(firstPredictions + second.sent);
    expect(second).toMatchObject({ accepted: second.sent, duplicates: 0, monitorEventsBefore: first.accepted, monitorEvents: first.accepted + second.accepted });
    expect(reconciled(second)).toBe(true);
  }, 30_000);

  it("shows duplicate batches in the status line and counts their events once", async () => {
    const fake = await fakeIngest();
    fake.loseNextReply();
    const lines: string[] = [];
    const summary = await runDemo(options(fake.url), (line) => lines.push(line), { requested: false });
    expect(summary.duplicates).toBe(1);
    expect(summary.accepted).toBe(summary.sent);
    expect(lines.at(-1)).toMatch(/ duplicate batches 1 /);
  }, 30_000);
});
