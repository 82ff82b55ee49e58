import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { MonitorEvent } from "./calls.ts";
import { groupByMinute } from "./event-time.ts";
import { ingestCall, testEvents, testIdentity } from "./testing.ts";
import type { WindowView } from "../protocol.ts";

const MINUTE = 60_000;
const stamp = (events: MonitorEvent[], t: number) => events.map((e) => ({ ...e, timestamp: t }));
const view = (views: WindowView[], name: string) => views.find((w) => w.window === name)!;

describe("groupByMinute", () => {
  it("keeps a one-minute batch whole and splits a mixed one by minute, clamping the future to arrival", () => {
    const t0 = 1_700_000_080_000; // 40 s into a minute
    expect(groupByMinute(Float64Array.of(t0, t0 + 5_000), t0 + 10_000).groups).toEqual([{ minute: t0 - 40_000, rows: null }]);
    const mixed = groupByMinute(Float64Array.of(t0, t0 - 2 * MINUTE, t0 + 10 * MINUTE, t0), t0 + 1_000);
    expect(mixed.groups).toEqual([
      { minute: t0 - 40_000 - 2 * MINUTE, rows: Int32Array.of(1) },
      { minute: t0 - 40_000, rows: Int32Array.of(0, 2, 3) },
    ]);
    expect([...mixed.minutes]).toEqual([t0 - 40_000, t0 - 40_000 - 2 * MINUTE, t0 - 40_000, t0 - 40_000]);
  });
});

describe("ModelMonitor windows by prediction time", () => {
  it("counts events and joins actuals in the minute of the prediction's timestamp", async () => {
    const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:event-time-${Date.now()}:v1`);
    await stub.setAutoBaselineTarget(100);
    const now = Date.now();
    await stub.ingest(ingestCall("ref", stamp(testEvents(100, { seed: 1 }), now)));
    await runDurableObjectAlarm(stub);
    await stub.ingest(ingestCall("earlier", stamp(testEvents(300, { seed: 2, idPrefix: "e" }), now - 20 * MINUTE)));
    await stub.ingest(ingestCall("fast-clock", stamp(testEvents(7, { seed: 3, idPrefix: "f" }), now + 3_600_000)));
    await stub.ingest(ingestCall("late", stamp(testEvents(11, { seed: 4, idPrefix: "l" }), now - 30 * 3_600_000)));
    await runDurableObjectAlarm(stub);

    let live = await stub.live();
    // 20 minutes ago is inside the hour but outside the 5 minutes; 30 h ago is outside every window.
    expect(view(live.windows, "5m").rows).toBe(107);
    expect(view(live.windows, "1h").rows).toBe(407);
    expect(view(live.windows, "24h").rows).toBe(407);
    expect(live.totals).toMatchObject({ events: 418, lateEvents: 11 });
    expect(live.volume.find((p) => p.t === Math.floor((now - 20 * MINUTE) / MINUTE) * MINUTE)?.events).toBe(300);

    const joined = await stub.actuals({
      identity: testIdentity(),
      actuals: [
        { prediction_id: "e-0", actual: 1, timestamp: now },
        { prediction_id: "l-0", actual: 1, timestamp: now },
      ],
    });
    // The late prediction is still joinable; it just belongs to no live window.
    expect(joined).toMatchObject({ matched: 2, unmatched: 0 });
    await runDurableObjectAlarm(stub);
    live = await stub.live();
    expect(view(live.windows, "5m").performance?.labeled ?? 0).toBe(0);
    expect(view(live.windows, "1h").performance?.labeled).toBe(1);
    expect(view(live.windows, "24h").performance?.labeled).toBe(1);
  });
});
