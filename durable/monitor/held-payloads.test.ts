// A stored batch's payload is held in memory from its ingest to its fold (storage.ts
// holdPayload), so a tick does not read the blob back; the row stays the truth: a
// restarted object, which holds nothing, folds the same batches from their rows.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../model-monitor.ts";
import { Monitor } from "./monitor.ts";
import { MonitorStore } from "./storage.ts";
import { ingestCall, testEvents } from "./testing.ts";
import { freshMonitorObject } from "./testing-object.ts";

describe("held payloads", () => {
  it("are held from ingest to fold, counted once, and dropped once folded", async () => {
    const { stub, identity } = freshMonitorObject("held");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer) => {
      const m = i.monitor;
      const t0 = Date.now();
      m.ingest({ ...ingestCall("a", testEvents(3, { idPrefix: "a" }), identity), receivedAt: t0 }, t0);
      m.ingest({ ...ingestCall("b", testEvents(4, { idPrefix: "b" }), identity), receivedAt: t0 }, t0);
      m.ingest({ ...ingestCall("a", testEvents(3, { idPrefix: "a" }), identity), receivedAt: t0 }, t0); // a retry: not held again
      const held = m.store.heldPayloads;
      m.tick(t0 + 1);
      const afterTick = { held: m.store.heldPayloads, events: m.totals.events, pending: m.store.hasPendingBatches() };
      m.tick(t0 + 2);
      return { held, afterTick, events: m.totals.events, found: [...m.store.join.find(["a-0", "b-3"]).keys()].sort() };
    });
    expect(result.held).toBe(2);
    expect(result.afterTick).toEqual({ held: 0, events: 7, pending: false });
    expect(result.events).toBe(7);
    expect(result.found).toEqual(["a-0", "b-3"]);
  });

  it("a restarted object (nothing held) folds the stored batches from their rows", async () => {
    const { stub, identity } = freshMonitorObject("held");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer, state) => {
      const t0 = Date.now();
      i.monitor.ingest({ ...ingestCall("r1", testEvents(5, { idPrefix: "r" }), identity), receivedAt: t0 }, t0);
      // A second Monitor over the same storage stands for the object after a restart.
      const restarted = new Monitor(new MonitorStore(state.storage), t0);
      const held = restarted.store.heldPayloads;
      restarted.tick(t0 + 1);
      return { held, events: restarted.totals.events, pending: restarted.store.hasPendingBatches(), found: restarted.store.join.find(["r-4"]).size };
    });
    expect(result).toEqual({ held: 0, events: 5, pending: false, found: 1 });
  });
});
