// The hostile-input suite: every /v1 operation in the app's own /openapi.json, with every
// string field, number field, object, record, query parameter and path parameter made
// hostile in turn (hostile-cases.ts), sent as an admin with valid surroundings (real model,
// version, channel, rule, alert, delivery, baseline, key and user ids; valid base bodies).
// Not one answer may be a 5xx, every 4xx carries the shared error shape, and nothing
// reaches Object.prototype.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildProfile } from "../../stats/profile/build.ts";
import { createApp } from "../app.ts";
import { alerts, deliveries } from "../db/schema/index.ts";
import { seedUser, type TestUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { hostileCases, type OpenApiDoc } from "./hostile-cases.ts";

const INSTANCE_TOKEN = "hostile-suite-instance-token-0001";
const env = { ...testEnv, INSTANCE_ADMIN_TOKEN: INSTANCE_TOKEN };
const app = createApp();
const background: Promise<unknown>[] = [];
const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p.catch(() => undefined)), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

const MODEL = "hostile-m";
const VERSION = "v1";
const FEATURES = [{ name: "a", kind: "numerical", dtype: "float" }, { name: "b", kind: "categorical", dtype: "string" }];
const PROFILE = buildProfile([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: "x" }], { features: [{ name: "a" }, { name: "b", kind: "categorical" }] });
const ids: Record<string, string> = {};
let adminKey = "";
let owner: TestUser;

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${adminKey}` }) {
  const init: RequestInit = { method, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return app.request(url, init, env, ctx);
}

async function created(method: string, url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(method, url, body);
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  const org = await withDb((db) => seedOrg(db));
  await withDb(async (db) => {
    adminKey = (await seedKey(db, org.orgId, ["admin"])).key;
    owner = await seedUser(db, org.orgId, "owner");
  });
  await created("POST", "/v1/models", { name: MODEL, prediction_kind: "binary" });
  await created("POST", `/v1/models/${MODEL}/versions`, { version: VERSION, feature_schema: FEATURES });
  ids.baseline = ((await created("POST", `/v1/models/${MODEL}/versions/${VERSION}/baselines`, { name: "hostile", profile: PROFILE, activate: false })) as { id: string }).id;
  ids.channel = ((await created("POST", "/v1/channels", channelBody())) as { id: string }).id;
  ids.rule = ((await created("POST", "/v1/rules", ruleBody())) as { id: string }).id;
  ids.key = ((await created("POST", "/v1/keys", { name: "spare", scopes: ["read"] })) as { id: string }).id;
  ids.user = ((await created("POST", "/v1/users", { email: "spare@hostile.test", role: "viewer" })) as { id: string }).id;
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  ids.report = ((await created("POST", "/v1/reports", { kind: "audit-trail", format: "json", from: hourAgo, to: new Date().toISOString() })) as { id: string }).id;
  ids.schedule = ((await created("POST", "/v1/report-schedules", scheduleBody())) as { id: string }).id;
  await withDb(async (db) => {
    const now = new Date();
    const [alert] = await db.insert(alerts).values({
      orgId: org.orgId, model: MODEL, version: VERSION, ruleName: "hostile", ruleKind: "feature_drift", severity: "warning", window: "5m",
      status: "open", firingId: `hostile@${now.getTime()}`, summary: "hostile", openedAt: now, lastFiredAt: now,
    }).returning({ id: alerts.id });
    ids.alert = alert!.id;
    const [delivery] = await db.insert(deliveries).values({
      orgId: org.orgId, channelId: ids.channel!, alertId: alert!.id, event: "opened", dedupeKey: `hostile-${now.getTime()}`, payload: {}, status: "dead",
    }).returning({ id: deliveries.id });
    ids.delivery = delivery!.id;
  });
  for (const [name, id] of Object.entries(ids)) expect(String(id), name).toMatch(/^[0-9a-f-]{36}$/);
}, 60_000);

afterAll(async () => {
  await Promise.all(background);
});

function channelBody() {
  return { name: "hostile channel", kind: "webhook", enabled: false, config: { url: "https://receiver.example/hook" } };
}

function scheduleBody() {
  return { kind: "drift", model: MODEL, version: VERSION, cron: "0 7 * * 1", format: "json", channels: [ids.channel], range: "P7D" };
}

function ruleBody() {
  return { model: MODEL, name: "hostile rule", severity: "warning", window: "5m", enabled: false, condition: { kind: "feature_drift" } };
}

/** Valid bodies where the document alone cannot say what valid is (a config per kind, a schema, a profile). */
function baseBody(method: string, path: string): unknown {
  const bodies: Record<string, unknown> = {
    "POST /v1/channels": channelBody(),
    "PATCH /v1/channels/{id}": { name: "renamed" },
    "POST /v1/rules": ruleBody(),
    "POST /v1/report-schedules": scheduleBody(),
    "PATCH /v1/report-schedules/{id}": { cron: "0 6 * * *", range: "P1D" },
    "PATCH /v1/rules/{id}": { name: "renamed" },
    "POST /v1/models": { name: "hostile-new", prediction_kind: "binary" },
    "POST /v1/models/{model}/versions": { version: "v-new", feature_schema: FEATURES },
    "POST /v1/models/{model}/versions/{version}/baselines": { name: "hostile-new", profile: PROFILE, activate: false },
    "PUT /v1/models/{model}/versions/{version}/baseline": { rows: [{ a: 1, b: "x" }] },
    "POST /v1/ingest": { model: MODEL, version: VERSION, events: [{ prediction_id: "p1", features: { a: 1, b: "x" }, prediction: 1 }] },
    "POST /v1/actuals": { model: MODEL, version: VERSION, actuals: [{ prediction_id: "p1", actual: 1 }] },
    "POST /v1/outcomes": { model: MODEL, outcomes: [{ kpi: "revenue", value: 1, timestamp: new Date().toISOString() }] },
    "POST /v1/sessions": { email: "nobody@hostile.test", password: "not the password" },
    "POST /v1/users": { email: "new@hostile.test", role: "viewer" },
    "PATCH /v1/users/{id}": { role: "viewer" },
    "POST /v1/orgs": { slug: "hostile-org", name: "Hostile" },
    "POST /v1/projects": { slug: "hostile-project", name: "Hostile" },
  };
  return bodies[`${method} ${path}`];
}

function pathValue(param: string, path: string): string {
  if (param === "model") return MODEL;
  if (param === "version") return VERSION;
  const resource = path.includes("/baselines/") ? "baseline" : path.startsWith("/v1/report-schedules/") ? "schedule" : /^\/v1\/(\w+?)s?\//.exec(path)?.[1] ?? "";
  const id = { channel: ids.channel, rule: ids.rule, alert: ids.alert, deliverie: ids.delivery, delivery: ids.delivery, key: ids.key, user: ids.user, baseline: ids.baseline, report: ids.report, schedule: ids.schedule }[resource];
  if (!id) throw new Error(`no fixture for {${param}} in ${path}`);
  return id;
}

/** Who calls: the admin key, a signed-in owner where only a session will do, the instance token for orgs. */
function callerFor(doc: OpenApiDoc, method: string, path: string): Record<string, string> {
  const schemes = (doc.paths[path]?.[method.toLowerCase()]?.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.includes("instanceAdminToken")) return { authorization: `Bearer ${INSTANCE_TOKEN}` };
  if (schemes.length > 0 && schemes.every((s) => s === "session")) return owner.headers(true);
  return { authorization: `Bearer ${adminKey}` };
}

const ERROR_KEYS = ["code", "details", "message"];

describe("hostile input against every /v1 operation in /openapi.json", () => {
  it("never answers 5xx, and every 4xx has the shared error shape", async () => {
    const doc = (await (await app.request("/openapi.json", {}, env)).json()) as OpenApiDoc;
    const cases = hostileCases(doc, { pathValue, baseBody, baseQuery: (_m, p): Record<string, string> => (p === "/v1/sessions/link" ? { token: "not-a-token", redirect: "false" } : {}) });
    const operations = new Set(cases.map((c) => c.operation));
    // Quiet the expected noise (rate limiters, pools); a 5xx fails below whatever was logged.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const res = await call(c.method, c.url, c.body, callerFor(doc, c.method, c.operation.slice(c.method.length + 1)));
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${c.operation} [${c.what}] → ${res.status} ${text.slice(0, 200)}`);
        else if (res.status >= 400) {
          const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
          const shaped = error && typeof error.code === "string" && typeof error.message === "string" && Object.keys(error).every((k) => ERROR_KEYS.includes(k));
          if (!shaped) failures.push(`${c.operation} [${c.what}] → ${res.status} without the error shape: ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    vi.restoreAllMocks();
    expect(failures, `${failures.length} of ${cases.length} cases`).toEqual([]);
    // The suite reached what it claims to: every operation, thousands of cases, most refused.
    const withInput = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => (op.parameters ?? []).some((p) => p.in !== "header") || op.requestBody?.content["application/json"]).map(([m]) => `${m.toUpperCase()} ${path}`));
    expect([...operations].sort()).toEqual(withInput.sort());
    expect(cases.length).toBeGreaterThan(1_000);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(cases.length / 2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
