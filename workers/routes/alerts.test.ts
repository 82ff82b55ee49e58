import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { evaluatorEvent, seedModelVersion, type AlertFixture } from "../alerts/testing.ts";
import { modelVersions, models } from "../db/schema/index.ts";
import { seedKey, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();
let f: AlertFixture;
let otherModel: { id: string; name: string };
let limitedKey: string;
const RULE_A = "0a0a0a0a-0000-4000-8000-00000000000a";
const RULE_B = "0b0b0b0b-0000-4000-8000-00000000000b";

function call(method: string, path: string, key = f.key, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
}

type AlertList = { alerts: Array<{ id: string; model: string; severity: string; status: string }> };

beforeAll(async () => {
  f = await withDb(seedModelVersion);
  const org = { orgId: f.orgId };
  [otherModel, limitedKey] = await withDb(async (db) => {
    const [p] = await db.select({ projectId: models.projectId }).from(models).where(eq(models.id, f.modelId));
    const [m] = await db.insert(models).values({ orgId: org.orgId, projectId: p!.projectId, name: `${f.model}-b`, predictionKind: "binary" }).returning();
    await db.insert(modelVersions).values({ orgId: org.orgId, modelId: m!.id, version: "v1" });
    const k = await seedKey(db, org.orgId, ["read", "write"], { modelId: f.modelId });
    return [{ id: m!.id, name: m!.name }, k.key] as const;
  });
  const d = testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
  const t0 = Date.now();
  const a = evaluatorEvent(f, RULE_A, "fired", t0);
  const b = evaluatorEvent({ ...f, modelId: otherModel.id, model: otherModel.name, version: "v1" }, RULE_B, "fired", t0 + 1);
  b.event.severity = "warning";
  await d.enqueue(f.orgId, [a, b]);
  await d.drain();
});

describe("/v1/alerts", () => {
  it("filters by model, version, status, severity and opening time", async () => {
    const all = (await (await call("GET", "/v1/alerts")).json()) as AlertList;
    expect(all.alerts.map((x) => x.model).sort()).toEqual([f.model, otherModel.name].sort());
    const byModel = (await (await call("GET", `/v1/alerts?model=${f.model}&version=v3`)).json()) as AlertList;
    expect(byModel.alerts.map((x) => x.model)).toEqual([f.model]);
    const warning = (await (await call("GET", "/v1/alerts?severity=warning&status=open")).json()) as AlertList;
    expect(warning.alerts.map((x) => x.model)).toEqual([otherModel.name]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(((await (await call("GET", `/v1/alerts?from=${encodeURIComponent(future)}`)).json()) as AlertList).alerts).toEqual([]);
    const bad = await call("GET", "/v1/alerts?status=sleeping");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]!.field).toBe("status");
  });

  it("limits a model-scoped key to its model's alerts and keeps it off org-wide channels", async () => {
    const mine = (await (await call("GET", "/v1/alerts", limitedKey)).json()) as AlertList;
    expect(mine.alerts.map((x) => x.model)).toEqual([f.model]);
    const all = (await (await call("GET", "/v1/alerts")).json()) as AlertList;
    const theirs = all.alerts.find((x) => x.model === otherModel.name)!;
    expect((await call("GET", `/v1/alerts/${theirs.id}`, limitedKey)).status).toBe(404);
    expect((await call("POST", `/v1/alerts/${theirs.id}/ack`, limitedKey)).status).toBe(404);
    expect((await call("GET", `/v1/rules?model=${otherModel.name}`, limitedKey)).status).toBe(404);
    expect((await call("GET", `/v1/rules?model=${f.model}`, limitedKey)).status).toBe(200);
    const ch = await call("POST", "/v1/channels", limitedKey, { name: "x", kind: "slack", config: { url: "https://hooks.slack.com/x" } });
    expect(ch.status).toBe(403);
  });

  it("answers 404 for an alert of another org", async () => {
    const stranger = await withDb(seedModelVersion);
    const all = (await (await call("GET", "/v1/alerts")).json()) as AlertList;
    for (const path of [`/v1/alerts/${all.alerts[0]!.id}`, `/v1/alerts/${all.alerts[0]!.id}/deliveries`]) {
      expect((await call("GET", path, stranger.key)).status).toBe(404);
    }
    expect((await call("POST", `/v1/alerts/${all.alerts[0]!.id}/resolve`, stranger.key)).status).toBe(404);
  });
});
