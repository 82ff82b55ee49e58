// The whole path inside workerd: ingest into a ModelMonitor, its alarm loop scores
// drift and evaluates the default rules, the org's dispatcher opens the alert in
// Postgres and delivers it.
import { runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { alerts } from "../../workers/db/schema/index.ts";
import { setOutboundFetch } from "../../workers/alerts/outbound.ts";
import { recordingFetch, seedModelVersion } from "../../workers/alerts/testing.ts";
import { channels } from "../../workers/db/schema/index.ts";
import { testEnv, withDb } from "../../workers/testing/seed.ts";
import { ingestCall, testEvents } from "../monitor/testing.ts";

afterEach(() => setOutboundFetch(undefined));

describe("alerts in the ModelMonitor alarm loop", () => {
  it("a drift onset opens exactly one alert per breached rule, and a webhook hears each once", async () => {
    const f = await withDb(async (db) => {
      const f = await seedModelVersion(db);
      await db.insert(channels).values({ orgId: f.orgId, name: "hook", kind: "webhook", config: { url: "https://receiver.example.com/hook" }, secret: "whsec_monitor_test_secret" });
      return f;
    });
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const identity = { orgId: f.orgId, model: f.model, version: f.version, predictionKind: "binary" };
    const stub = testEnv.ModelMonitor.getByName(`${f.orgId}:${f.model}:${f.version}`);
    await stub.setAutoBaselineTarget(2_000);
    await stub.ingest(ingestCall("ref", testEvents(2_000, { seed: 1 }), identity));
    await runDurableObjectAlarm(stub);
    await stub.ingest(ingestCall("drift", testEvents(20_000, { seed: 2, ageShift: 25, idPrefix: "d" }), identity));
    // Hysteresis: the default feature-drift rule needs 3 consecutive breaching evaluations.
    for (let i = 0; i < 6; i++) await runDurableObjectAlarm(stub);
    const dispatcher = testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
    await dispatcher.drain();

    // More ticks of the same drift refresh the open alerts; none opens twice.
    for (let i = 0; i < 4; i++) await runDurableObjectAlarm(stub);
    await dispatcher.drain();

    const rows = await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)));
    // Age moved 25 years: it drifts, and much of it now lies beyond the baseline's range.
    expect(rows.map((r) => [r.ruleName, r.status]).sort()).toEqual([["Feature drift", "open"], ["Out-of-range values", "open"]]);
    const drift = rows.find((r) => r.ruleName === "Feature drift")!;
    expect(drift.modelId).toBe(f.modelId);
    expect((drift.evidence as { features: Array<{ feature: string }> }).features.map((x) => x.feature)).toEqual(["age"]);
    const range = rows.find((r) => r.ruleName === "Out-of-range values")!;
    expect((range.evidence as { features: Array<{ feature: string }> }).features.map((x) => x.feature)).toEqual(["age"]);
    const opened = rec.requests.map((r) => JSON.parse(r.body) as { type: string; alert: { rule: { name: string } } });
    expect(opened.map((n) => `${n.type}:${n.alert.rule.name}`).sort()).toEqual(["alert.opened:Feature drift", "alert.opened:Out-of-range values"]);
  });
});
