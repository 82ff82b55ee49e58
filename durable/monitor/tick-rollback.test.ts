// A tick whose transaction rolls back leaves the label join as SQLite has it: the join
// index's tail moved in memory during the tick (join-index.ts) is read back, so no
// prediction becomes unfindable until the object restarts.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../model-monitor.ts";
import { ingestCall, testEvents } from "./testing.ts";
import { freshMonitorObject } from "./testing-object.ts";

describe("a tick that rolls back", () => {
  it("reads the join index's tail back, so every stored prediction is still found", async () => {
    const { stub, identity } = freshMonitorObject("rollback");
    const result = await runInDurableObject(stub, (i: ModelMonitorServer) => {
      const m = i.monitor;
      const t0 = Date.now();
      m.ingest({ ...ingestCall("a", testEvents(40, { idPrefix: "r" }), identity), receivedAt: t0 }, t0);
      m.tick(t0 + 1); // counts the batch: 40 entries held in memory
      const held = m.store.join.index.held;
      // The next tick is quiet, so it moves a slice into SQLite; then its transaction fails.
      const persist = m.segments.persist.bind(m.segments);
      m.segments.persist = () => {
        throw new Error("disk full");
      };
      let error = "";
      try {
        m.tick(t0 + 2);
      } catch (e) {
        error = (e as Error).message;
      }
      m.segments.persist = persist;
      const ids = Array.from({ length: 40 }, (_, k) => `r-${k}`);
      return { held, error, heldAfter: m.store.join.index.held, found: m.store.join.find(ids).size };
    });
    expect(result.held).toBe(40);
    expect(result.error).toBe("disk full");
    expect(result.heldAfter).toBe(40);
    expect(result.found).toBe(40);
  });
});
