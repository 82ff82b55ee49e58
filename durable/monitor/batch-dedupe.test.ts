// Batch dedupe at its horizon: a batch id is remembered for 24 hours from its arrival, so a
// retry at exactly 24 h is still a duplicate (counted once) and one a millisecond later is
// new. Driven through the real object's Monitor with explicit clocks.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../model-monitor.ts";
import { ingestCall, testEvents } from "./testing.ts";
import { freshMonitorObject } from "./testing-object.ts";

/** The documented horizon (docs/architecture.md: "dedupes the batch id (24 h)"), written out. */
const DAY_MS = 24 * 60 * 60 * 1000;

describe("batch dedupe horizon", () => {
  it("a retry at exactly 24 h after arrival is a duplicate; the id is forgotten 1 ms later", async () => {
    const { stub, identity } = freshMonitorObject("dedupe");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer) => {
      const m = i.monitor;
      const t0 = Date.now();
      const call = { ...ingestCall("edge", testEvents(3, { idPrefix: "e" }), identity), receivedAt: t0 };
      const first = m.ingest(call, t0);
      m.tick(t0 + 1); // counts the batch (its payload goes; the id stays)
      m.tick(t0 + DAY_MS); // prunes ids received before t0: this one stays
      const atEdge = m.ingest({ ...call, receivedAt: t0 + DAY_MS }, t0 + DAY_MS);
      const countedAtEdge = m.totals.events;
      m.tick(t0 + DAY_MS + 60_001); // the next prune (at most one a minute) forgets ids received before t0 + 60_001 ms
      const after = m.ingest({ ...call, receivedAt: t0 + DAY_MS + 60_001 }, t0 + DAY_MS + 60_001);
      return { first: first.duplicate, atEdge: atEdge.duplicate, firstSeenAt: "firstSeenAt" in atEdge ? atEdge.firstSeenAt : null, t0, countedAtEdge, after: after.duplicate, duplicates: m.totals.duplicateBatches };
    });
    expect(result.first).toBe(false);
    expect(result.atEdge).toBe(true);
    expect(result.firstSeenAt).toBe(result.t0);
    expect(result.countedAtEdge).toBe(3);
    expect(result.after).toBe(false);
    expect(result.duplicates).toBe(1);
  });

  it("the id is forgotten as soon as it is 1 ms past 24 h at a prune", async () => {
    const { stub, identity } = freshMonitorObject("dedupe");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer) => {
      const m = i.monitor;
      const t0 = Date.now();
      const call = { ...ingestCall("edge+1", testEvents(2, { idPrefix: "f" }), identity), receivedAt: t0 };
      m.ingest(call, t0);
      m.tick(t0 + 1);
      m.tick(t0 + DAY_MS + 1); // prunes ids received before t0 + 1 ms
      return m.ingest({ ...call, receivedAt: t0 + DAY_MS + 1 }, t0 + DAY_MS + 1).duplicate;
    });
    expect(result).toBe(false);
  });

  it("a batch not yet counted is never forgotten, however old", async () => {
    const { stub, identity } = freshMonitorObject("dedupe");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer) => {
      const m = i.monitor;
      const t0 = Date.now();
      const call = { ...ingestCall("waiting", testEvents(2, { idPrefix: "w" }), identity), receivedAt: t0 - 2 * DAY_MS };
      m.ingest(call, t0);
      // Prune without counting first: the stored payload keeps the id.
      m.store.dedupe.prune(t0);
      return m.store.dedupe.find("waiting") !== undefined;
    });
    expect(result).toBe(true);
  });
});
