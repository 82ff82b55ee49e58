// A shard's side of the coordinator's pull, for segment rows (shard-log.ts): a whole copy
// comes in pages that hold every row once, and rows changed meanwhile come after it.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { encodeBatch } from "./batch-codec.ts";
import type { IngestCall } from "./calls.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { ShardLog, type ShardPullReply, type ShardPullRequest } from "./shard-log.ts";
import { TEST_FEATURES, testEvents, testIdentity } from "./testing.ts";

const REGIONS = ["eu", "us", "apac", "latam", "emea"];

function call(batchId: string, seed: number): IngestCall {
  const events = testEvents(500, { seed, idPrefix: batchId }).map((e, i) => ({ ...e, segment: { region: REGIONS[i % REGIONS.length]! } }));
  return { identity: testIdentity(), features: TEST_FEATURES, batchId, receivedAt: Date.now(), count: events.length, events: encodeBatch(columnsFromEvents(events, TEST_FEATURES)) };
}

describe("shard log: segment rows", () => {
  it("a whole copy comes in pages holding every row once; rows changed meanwhile come after it", async () => {
    const stub: DurableObjectStub<ModelMonitor> = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:shardlog-${Date.now()}:v1`);
    await stub.setAutoBaselineTarget(500);
    await stub.ingest(call("ref", 1));
    await runDurableObjectAlarm(stub); // the baseline freezes (segment windows start from it)
    await stub.ingest(call("cur", 2));
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (instance: ModelMonitor) => {
      const m = instance.monitor;
      // Pages of one row each (any row's window is past one byte).
      const log = new ShardLog(1);
      log.watch(m.buckets);
      log.watchSegments(m.store.segments);
      const pull = (request: ShardPullRequest): ShardPullReply =>
        log.pull(m.buckets, request, m.totals, null, { buckets: m.segments, store: m.store.segments, now: Date.now() });
      const all = m.store.segments.bucketsAfter(null, 1_000).map((r) => `${r.segment}|${r.level}|${r.t}`);
      expect(all.length).toBeGreaterThanOrEqual(REGIONS.length);

      const first = pull({ epoch: null, since: 0, segments: [], segmentRows: { epoch: null, since: 0, after: null } });
      expect(first.segments!.rows).toMatchObject({ start: true, epoch: log.epoch });
      const copied = first.segments!.rows!.list.map((r) => `${r.segment}|${r.level}|${r.t}`);
      const since = first.cursor;
      let after = first.segments!.rows!.after;
      let pages = 1;
      // A row changes while the copy is under way.
      m.ingest(call("meanwhile", 3));
      m.fold(Date.now());
      while (after !== null) {
        const page = pull({ epoch: log.epoch, since: first.cursor, segments: [], segmentRows: { epoch: log.epoch, since, after } });
        expect(page.segments!.rows!.start).toBe(false);
        copied.push(...page.segments!.rows!.list.map((r) => `${r.segment}|${r.level}|${r.t}`));
        after = page.segments!.rows!.after;
        pages++;
        if (pages > all.length + 1) throw new Error(`the copy does not end after ${pages} pages of one row`);
      }
      expect(pages).toBeGreaterThan(1);
      expect(copied).toEqual(all);
      // After the copy: the rows changed since it began, whole.
      const changed = pull({ epoch: log.epoch, since: first.cursor, segments: [], segmentRows: { epoch: log.epoch, since, after: null } }).segments!.rows!;
      expect(changed.start).toBe(false);
      expect(changed.list.filter((r) => !r.perfOnly).map((r) => r.segment).sort()).toEqual(REGIONS.map((r) => `region:${r}`).sort());
      // Another epoch (a coordinator that has none of this one's rows) starts a copy again.
      expect(pull({ epoch: "old", since: 0, segments: [], segmentRows: { epoch: "old", since: 0, after: null } }).segments!.rows!.start).toBe(true);
    });
  });
});
