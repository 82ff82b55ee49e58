import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { DEFAULT_RULES } from "../../durable/alerts/defaults.ts";
import { seedModelVersion, type AlertFixture } from "../alerts/testing.ts";
import { testEnv, withDb } from "../testing/seed.ts";

const app = createApp();
let f: AlertFixture;
let other: AlertFixture;

function call(method: string, path: string, body?: unknown, key = f.key) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
}

interface RuleView { id: string; name: string; model: string; version: string | null; default: boolean; enabled: boolean; for: number; condition: { kind: string } }

beforeAll(async () => {
  [f, other] = await withDb(async (db) => [await seedModelVersion(db), await seedModelVersion(db)]);
});

describe("/v1/rules", () => {
  it("lists the default rules of every version of a model, created once", async () => {
    const first = (await (await call("GET", `/v1/rules?model=${f.model}`)).json()) as { rules: RuleView[] };
    expect(first.rules.map((r) => r.name).sort()).toEqual(DEFAULT_RULES.map((r) => r.name).sort());
    expect(first.rules.every((r) => r.default && r.model === f.model && r.version === "v3")).toBe(true);
    const again = (await (await call("GET", `/v1/rules?model=${f.model}&version=v3`)).json()) as { rules: RuleView[] };
    expect(again.rules.map((r) => r.id).sort()).toEqual(first.rules.map((r) => r.id).sort());
  });

  it("creates, reads, updates and deletes a rule", async () => {
    const res = await call("POST", "/v1/rules", { model: f.model, name: "AUC floor", severity: "critical", window: "1h", condition: { kind: "performance", metric: "roc_auc", op: "below", value: 0.7 } });
    expect(res.status).toBe(201);
    const rule = (await res.json()) as RuleView;
    expect(rule).toMatchObject({ model: f.model, version: null, for: 3, default: false, enabled: true, condition: { kind: "performance" } });
    const patched = await call("PATCH", `/v1/rules/${rule.id}`, { for: 5, condition: { kind: "latency", percentile: "p99", above_ms: 250 } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ for: 5, condition: { kind: "latency", above_ms: 250 } });
    expect((await call("GET", `/v1/rules/${rule.id}`)).status).toBe(200);
    expect((await call("DELETE", `/v1/rules/${rule.id}`)).status).toBe(204);
    expect((await call("GET", `/v1/rules/${rule.id}`)).status).toBe(404);
  });

  it("disables a default rule instead of deleting it, so it is not recreated", async () => {
    const { rules } = (await (await call("GET", `/v1/rules?model=${f.model}`)).json()) as { rules: RuleView[] };
    const noData = rules.find((r) => r.condition.kind === "no_data")!;
    expect((await call("DELETE", `/v1/rules/${noData.id}`)).status).toBe(204);
    const after = (await (await call("GET", `/v1/rules?model=${f.model}`)).json()) as { rules: RuleView[] };
    expect(after.rules.filter((r) => r.condition.kind === "no_data")).toMatchObject([{ id: noData.id, enabled: false }]);
  });

  it.each([
    [{ name: "x", severity: "warning", window: "5m", condition: { kind: "dataset_drift", share: 2 } }, "condition.share"],
    [{ name: "x", severity: "loud", window: "5m", condition: { kind: "no_data", minutes: 5 } }, "severity"],
    [{ name: "x", severity: "info", window: "2h", condition: { kind: "no_data", minutes: 5 } }, "window"],
    [{ name: "x", severity: "info", window: "5m", condition: { kind: "volume" } }, "condition.min_ratio"],
    [{ name: "x", severity: "info", window: "5m", condition: { kind: "teleport" } }, "condition.kind"],
    [{ name: "x", severity: "info", window: "5m", for: 0, condition: { kind: "no_data", minutes: 5 } }, "for"],
  ])("rejects %j naming %s", async (body, field) => {
    const res = await call("POST", "/v1/rules", { model: f.model, ...body });
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { details: Array<{ field: string }> } };
    expect(err.error.details.map((d) => d.field)).toContain(field);
  });

  it("keeps orgs apart: another org's model and rules are 404", async () => {
    expect((await call("GET", `/v1/rules?model=${other.model}`)).status).toBe(404);
    expect((await call("POST", "/v1/rules", { model: other.model, name: "x", severity: "info", window: "5m", condition: { kind: "no_data", minutes: 5 } })).status).toBe(404);
    const theirs = (await (await call("GET", `/v1/rules?model=${other.model}`, undefined, other.key)).json()) as { rules: RuleView[] };
    const id = theirs.rules[0]!.id;
    expect((await call("GET", `/v1/rules/${id}`)).status).toBe(404);
    expect((await call("PATCH", `/v1/rules/${id}`, { enabled: false })).status).toBe(404);
    expect((await call("DELETE", `/v1/rules/${id}`)).status).toBe(404);
  });
});
