// The outbox on its own: which rows each sink gets, in what batches, how a failure backs
// off and is recorded, and when rows leave. Written against a fresh object's storage
// (workerd under `npm test`; node:sqlite in the mutation config, like label-join.test.ts).
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { Totals, WindowView } from "../protocol.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { sinkFailuresTotal } from "./metrics-view.ts";
import { DRAIN_BATCH, drainOutbox, outboxRecord, type AggregateRecord, type Sink } from "./outbox.ts";
import { MonitorStore } from "./storage.ts";
import { testIdentity } from "./testing.ts";

let counter = 0;

async function withStore<T>(fn: (store: MonitorStore) => T | Promise<T>): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:outbox${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (_instance: ModelMonitor, state) => fn(new MonitorStore(state.storage)));
}

/** Rows whose record says which tick it is. */
function append(store: MonitorStore, ticks: number, first = 1): void {
  for (let t = first; t < first + ticks; t++) store.appendOutbox(1_000 + t, JSON.stringify({ tick: t }));
}

/** A sink that records the ticks of each send, and throws while `down` says so. */
function recording(name: string, options: { batchSize?: number; down?: () => string | null } = {}) {
  const sends: number[][] = [];
  const sink: Sink = {
    name,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    async send(records: AggregateRecord[]) {
      const error = options.down?.();
      if (error) throw new Error(error);
      sends.push(records.map((r) => r.tick));
    },
  };
  return { sink, sends };
}

const NOW = 1_700_000_000_000;

describe("drainOutbox", () => {
  it("sends each sink every row after its cursor, in order and in batches of its size, then drops the rows", async () => {
    await withStore(async (store) => {
      append(store, 5);
      const small = recording("small", { batchSize: 2 });
      const big = recording("big");
      const report = await drainOutbox(store, [small.sink, big.sink], NOW);
      expect(small.sends).toEqual([[1, 2], [3, 4], [5]]);
      expect(big.sends).toEqual([[1, 2, 3, 4, 5]]);
      expect(report).toEqual({ sent: { small: 5, big: 5 }, failed: {}, retryAt: null });
      expect(store.sinkState("small")).toEqual({ name: "small", cursor: 5, failures: 0, next_attempt_at: 0, last_error: null });
      expect(store.outboxSize()).toBe(0);

      // Only the rows after the cursor next time.
      append(store, 1, 6);
      await drainOutbox(store, [small.sink, big.sink], NOW);
      expect(small.sends.at(-1)).toEqual([6]);
      expect(big.sends.at(-1)).toEqual([6]);
    });
  });

  it("sends at most DRAIN_BATCH rows at a time to a sink that names no batch size", async () => {
    await withStore(async (store) => {
      append(store, DRAIN_BATCH + 1);
      const plain = recording("plain");
      await drainOutbox(store, [plain.sink], NOW);
      expect(plain.sends.map((s) => s.length)).toEqual([DRAIN_BATCH, 1]);
    });
  });

  it("sends nothing to a sink that has every row, and reports nothing for it", async () => {
    await withStore(async (store) => {
      append(store, 2);
      const a = recording("a");
      await drainOutbox(store, [a.sink], NOW);
      const report = await drainOutbox(store, [a.sink], NOW);
      expect(a.sends).toHaveLength(1);
      expect(report).toEqual({ sent: {}, failed: {}, retryAt: null });
    });
  });

  it("keeps a failed sink's rows, backs off 1 s doubling to at most 60 s, and leaves the other sinks alone", async () => {
    await withStore(async (store) => {
      append(store, 3);
      let down = true;
      const flaky = recording("flaky", { batchSize: 2, down: () => (down ? "connect ECONNREFUSED" : null) });
      const fine = recording("fine");
      const first = await drainOutbox(store, [flaky.sink, fine.sink], NOW);
      expect(first).toEqual({ sent: { flaky: 0, fine: 3 }, failed: { flaky: "connect ECONNREFUSED" }, retryAt: NOW + 1_000 });
      expect(store.sinkState("flaky")).toEqual({ name: "flaky", cursor: 0, failures: 1, next_attempt_at: NOW + 1_000, last_error: "connect ECONNREFUSED" });
      expect(sinkFailuresTotal(store, "flaky")).toBe(1);
      expect(sinkFailuresTotal(store, "fine")).toBe(0);
      // The failed sink's rows stay: rows leave once every sink has them.
      expect(store.outboxSize()).toBe(3);

      // Before its time, the sink is not tried, and the report says when it will be.
      const waiting = await drainOutbox(store, [flaky.sink, fine.sink], NOW + 999);
      expect(waiting).toEqual({ sent: {}, failed: {}, retryAt: NOW + 1_000 });
      expect(store.sinkState("flaky").failures).toBe(1);

      // At its time exactly it is tried; each failure doubles the wait.
      const waits: number[] = [];
      let now = NOW + 1_000;
      for (let i = 0; i < 8; i++) {
        const report = await drainOutbox(store, [flaky.sink], now);
        waits.push(report.retryAt! - now);
        now = report.retryAt!;
      }
      expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
      expect(store.sinkState("flaky").failures).toBe(9);
      expect(sinkFailuresTotal(store, "flaky")).toBe(9);

      // Back up: the same rows, from the cursor, and the failure state is cleared.
      down = false;
      const back = await drainOutbox(store, [flaky.sink, fine.sink], now);
      expect(flaky.sends).toEqual([[1, 2], [3]]);
      expect(back).toEqual({ sent: { flaky: 3 }, failed: {}, retryAt: null });
      expect(store.sinkState("flaky")).toEqual({ name: "flaky", cursor: 3, failures: 0, next_attempt_at: 0, last_error: null });
      expect(sinkFailuresTotal(store, "flaky")).toBe(9);
      expect(store.outboxSize()).toBe(0);
    });
  });

  it("keeps what a sink took before it failed, and retries only the rest", async () => {
    await withStore(async (store) => {
      append(store, 5);
      let calls = 0;
      const half = recording("half", { batchSize: 2, down: () => (++calls === 2 ? "503 Service Unavailable" : null) });
      const report = await drainOutbox(store, [half.sink], NOW);
      expect(report.sent).toEqual({ half: 2 });
      expect(store.sinkState("half")).toMatchObject({ cursor: 2, failures: 1, last_error: "503 Service Unavailable" });
      // Rows 1 and 2 left with the only sink; 3 to 5 wait.
      expect(store.outboxSize()).toBe(3);
      await drainOutbox(store, [half.sink], NOW + 1_000);
      expect(half.sends).toEqual([[1, 2], [3, 4], [5]]);
    });
  });

  it("stores at most 500 characters of an error", async () => {
    await withStore(async (store) => {
      append(store, 1);
      const long = recording("long", { down: () => "x".repeat(600) });
      const report = await drainOutbox(store, [long.sink], NOW);
      expect(report.failed.long).toBe("x".repeat(500));
      expect(store.sinkState("long").last_error).toBe("x".repeat(500));
    });
  });

  it("reports the earliest retry among the sinks that wait or fail", async () => {
    await withStore(async (store) => {
      append(store, 1);
      let aDown = true;
      const a = recording("a", { down: () => (aDown ? "a down" : null) });
      const b = recording("b", { down: () => "b down" });
      // a fails twice (next try 2 s later); b fails once (1 s later) at a later time.
      await drainOutbox(store, [a.sink], NOW);
      await drainOutbox(store, [a.sink], NOW + 1_000);
      expect(store.sinkState("a").next_attempt_at).toBe(NOW + 3_000);
      aDown = false;
      const report = await drainOutbox(store, [a.sink, b.sink], NOW + 1_500);
      expect(report.retryAt).toBe(NOW + 2_500);
      const later = await drainOutbox(store, [b.sink, a.sink], NOW + 1_600);
      expect(later.retryAt).toBe(NOW + 2_500);
      expect(later.failed).toEqual({});
    });
  });

  it("drops only the rows the slowest sink has, and every row when there are no sinks", async () => {
    await withStore(async (store) => {
      append(store, 4);
      const ahead = recording("ahead");
      const behind = recording("behind", { batchSize: 1, down: () => (behind.sends.length === 1 ? "later" : null) });
      await drainOutbox(store, [ahead.sink, behind.sink], NOW);
      expect(store.sinkState("behind").cursor).toBe(1);
      expect(store.outboxAfter(0, 10).map((r) => r.seq)).toEqual([2, 3, 4]);
      await drainOutbox(store, [], NOW);
      expect(store.outboxSize()).toBe(0);
    });
  });
});

describe("outboxRecord", () => {
  const distribution = { edges: [0, 1], counts: [3] };
  const windows = [
    { window: "5m", rows: 10, features: [{ name: "age", psi: 0.2, distribution }], prediction: { name: "prediction", psi: 0.1, distribution } },
    { window: "1h", rows: 20, features: [], prediction: null },
  ] as unknown as WindowView[];
  const totals = { events: 30 } as unknown as Totals;
  const identity = testIdentity("credit", "v7");

  it("keeps the scores and drops the distributions, which stay on the sockets", () => {
    const record = outboxRecord(identity, 1_000, 3, windows, totals, 250);
    expect(record).toEqual({
      orgId: identity.orgId, model: "credit", version: "v7", at: 1_000, tick: 3, totals, ingestToCountMs: 250,
      windows: [
        { window: "5m", rows: 10, features: [{ name: "age", psi: 0.2, distribution: null }], prediction: { name: "prediction", psi: 0.1, distribution: null } },
        { window: "1h", rows: 20, features: [], prediction: null },
      ],
    });
    // The live windows are not changed.
    expect((windows[0] as unknown as { features: { distribution: unknown }[] }).features[0]!.distribution).toBe(distribution);
  });

  it("carries series and segments only when there are some, segments slimmed the same way", () => {
    expect(outboxRecord(identity, 1_000, 3, [], totals)).toEqual({ orgId: identity.orgId, model: "credit", version: "v7", at: 1_000, tick: 3, windows: [], totals, ingestToCountMs: null });
    const series = [{ minute: 60_000 }] as unknown as Parameters<typeof outboxRecord>[6];
    const record = outboxRecord(identity, 1_000, 3, [], totals, null, series, [{ key: "region:eu", windows }]);
    expect(record.series).toBe(series);
    expect(record.segments).toEqual([{ key: "region:eu", windows: outboxRecord(identity, 1_000, 3, windows, totals).windows }]);
    expect(record.segments![0]!.windows[0]!.features[0]!.distribution).toBeNull();
  });
});
