import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { alerts, deliveries } from "../db/schema/index.ts";
import { testEnv, withDb } from "../testing/seed.ts";
import { setOutboundFetch } from "./outbound.ts";
import { queueRetrainTriggers } from "./retrain-trigger.ts";
import { evaluatorEvent, recordingFetch, seedModelVersion, type AlertFixture } from "./testing.ts";
import { verifySignature } from "../channels/signature.ts";

const app = createApp();
let f: AlertFixture;
const RULE = "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d";
const BASE = "https://vigil.example.com";

function call(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${f.key}`, "content-type": "application/json" };
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
}

function dispatcher() {
  return testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
}

beforeEach(async () => {
  f = await withDb(seedModelVersion);
});
afterEach(() => setOutboundFetch(undefined));

describe("retraining trigger", () => {
  it("fires once, with the evidence, after the alert has stayed open for the hold time", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const res = await call("POST", "/v1/channels", { name: "retrain", kind: "retrain", config: { url: "https://ml.example.com/retrain", hold_minutes: 10, cooldown_minutes: 60 } });
    expect(res.status).toBe(201);
    const ch = (await res.json()) as { id: string; secret: string };
    const opened = Date.now();
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", opened)]);
    await dispatcher().drain();
    expect(rec.requests).toEqual([]); // a retrain channel does not hear the opening itself

    const before = await withDb((db) => queueRetrainTriggers(db, f.orgId, opened + 9 * 60_000, BASE));
    expect(before.queued).toEqual([]);
    expect(before.checkAgainAt).toBe(opened + 10 * 60_000);
    const due = await withDb((db) => queueRetrainTriggers(db, f.orgId, opened + 10 * 60_000, BASE));
    expect(due.queued).toHaveLength(1);
    // Later passes queue nothing more for the same alert.
    expect((await withDb((db) => queueRetrainTriggers(db, f.orgId, opened + 20 * 60_000, BASE))).queued).toEqual([]);
    await dispatcher().drain();
    expect(rec.requests).toHaveLength(1);
    const req = rec.requests[0]!;
    expect(req.url).toBe("https://ml.example.com/retrain");
    expect((await verifySignature(ch.secret, req.body, req.headers["vigil-signature"]!, Math.floor(Date.now() / 1000))).ok).toBe(true);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      type: "retrain.requested",
      evidence: {
        model: f.model, version: f.version, baseline: "v3-training", rule: { name: "Feature drift", kind: "feature_drift" },
        window: { name: "5m" }, scores: [{ feature: "income", method: "wasserstein_normed", score: 0.41, threshold: 0.1 }],
      },
    });
    expect(body.evidence.alert_url).toMatch(/\/alerts\/[0-9a-f-]{36}$/);
  });

  it("respects the cooldown per model and waits for approval when asked", async () => {
    const res = await call("POST", "/v1/channels", { name: "gh", kind: "retrain", config: { format: "github", repo: "acme/models", token: "ghp_x", hold_minutes: 0, cooldown_minutes: 60, require_approval: true } });
    expect(res.status).toBe(201);
    const t0 = Date.now();
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", t0)]);
    await dispatcher().drain();
    const [first] = await withDb((db) => db.select().from(deliveries).where(eq(deliveries.event, "retrain")).then((r) => r.filter((d) => d.orgId === f.orgId)));
    expect(first).toMatchObject({ status: "awaiting_approval" });
    // Another alert of the same model within the cooldown: no second request.
    await withDb((db) => db.update(alerts).set({ status: "resolved" }).where(eq(alerts.orgId, f.orgId)));
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", t0 + 60_000, t0 + 60_000)]);
    await dispatcher().drain();
    expect((await withDb((db) => queueRetrainTriggers(db, f.orgId, Date.now(), BASE))).queued).toEqual([]);

    const rec = recordingFetch([204]);
    setOutboundFetch(rec.fetch);
    const approved = await call("POST", `/v1/deliveries/${first!.id}/approve`);
    expect(approved.status).toBe(200);
    await dispatcher().drain();
    expect(rec.requests.map((r) => r.url)).toEqual(["https://api.github.com/repos/acme/models/dispatches"]);
    expect(JSON.parse(rec.requests[0]!.body)).toMatchObject({ event_type: "vigil-retrain", client_payload: { model: f.model, version: f.version } });
    expect((await call("POST", `/v1/deliveries/${first!.id}/approve`)).status).toBe(409);
  });
});
