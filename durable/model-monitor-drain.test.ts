// A sink that never answers (an OTLP collector or Kafka proxy black-holing requests)
// must not hold back scoring: the tick waits DRAIN_WAIT_MS for the drain at most, other
// sinks still get their rows, and no second drain piles up behind the stuck one.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "./model-monitor.ts";
import type { AggregateRecord, Sink } from "./monitor/outbox.ts";
import { ingestCall, testEvents, testIdentity } from "./monitor/testing.ts";

describe("ModelMonitor outbox drain", () => {
  it("keeps scoring while a sink hangs, drains the other sinks, and starts no second drain", { timeout: 20_000 }, async () => {
    const identity = testIdentity(`hang-${Date.now()}`);
    const stub = testEnv.ModelMonitor.getByName(`${identity.orgId}:${identity.model}:${identity.version}`);
    await stub.ingest(ingestCall("b1", testEvents(10), identity));
    await runInDurableObject(stub, async (instance: ModelMonitor) => {
      let hangingCalls = 0;
      let release: () => void = () => undefined;
      const fast: AggregateRecord[] = [];
      const sinks: Sink[] = [
        { name: "hanging", send: () => { hangingCalls++; return new Promise<void>((resolve) => (release = resolve)); } },
        { name: "fast", send: async (records) => void fast.push(...records) },
      ];
      Object.defineProperty(instance, "sinks", { value: () => sinks });

      await instance.onAlarm();
      expect(instance.monitor.totals.events).toBe(10);
      expect(fast).toHaveLength(1);
      expect(hangingCalls).toBe(1);

      // The next tick scores new events although the first drain is still stuck.
      await instance.ingest(ingestCall("b2", testEvents(5, { seed: 100 }), identity));
      await instance.onAlarm();
      expect(instance.monitor.totals.events).toBe(15);
      expect(hangingCalls).toBe(1);

      // Once the stuck send returns, its drain ends: the sink's cursor catches up and the outbox empties.
      const store = instance.monitor.store;
      expect(store.sinkState("hanging").cursor).toBe(0);
      release();
      await expect.poll(() => store.sinkState("hanging").cursor).toBe(store.sinkState("fast").cursor);
      await expect.poll(() => store.outboxSize()).toBe(0);
    });
  });
});
