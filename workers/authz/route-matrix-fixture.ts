// The route matrix's world (route-matrix.test.ts): two orgs, a model and its sibling in the
// own org's default project, every kind of caller's credentials, and the shared resources the
// table's rows read. Resources a row changes are made fresh per caller by the fixture's makers.
import { eq } from "drizzle-orm";
import { buildProfile } from "../../stats/profile/build.ts";
import { queueDelivery } from "../alerts/fanout.ts";
import { testNotification } from "../alerts/snapshot.ts";
import { createApp } from "../app.ts";
import { alerts, auditExports, deliveries, projectRoles, projects } from "../db/schema/index.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedUser, type TestUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, uniqueSlug } from "../testing/seed.ts";
import type { Database } from "../db/client.ts";
import { createLoginLink } from "../users/login-links.ts";
import { hashPassword } from "../users/password.ts";
import { concurrencyLimit } from "../testing/concurrency.ts";
import type { Call, Who } from "./route-matrix-callers.ts";
/** Calls in flight at once: each opens its own Postgres pool, and the test server allows 100 connections. */
export const requests = concurrencyLimit(16);

export const app = createApp();
export const INSTANCE_TOKEN = "it-".padEnd(48, "x");
export const env = { ...testEnv, INSTANCE_ADMIN_TOKEN: INSTANCE_TOKEN };
export const CHANNEL = { name: "matrix", kind: "webhook", config: { url: "https://receiver.example.com/hook" } };
export const VALUE_MATRIX = { currency: "USD", tp: 10, fp: -1, fn: -5, tn: 0 };
export const SIGNATURES_OFF = { production_promotion: { required: false, approvals: 1 }, baseline_change: { required: false, approvals: 1 }, threshold_change: { required: false, approvals: 1 } };
export const SIGN_IN_PASSWORD = "matrix-sign-in-password";
const FEATURES = [{ name: "x", kind: "numerical" as const, dtype: "float" as const }];
export type Fixture = Awaited<ReturnType<typeof setup>>;

/**
 * Fixtures share a few connection pools, open for the whole matrix (opening one per fixture
 * cost seconds; one pool of 4 connections made queued fixtures time out).
 */
export async function setup(pools: readonly Database[]) {
  let next = 0;
  const pick = () => pools[next++ % pools.length]!;
  {
    const db = pick();
    const own = await seedOrg(db);
    const other = await seedOrg(db);
    const model = uniqueSlug("matrix-model");
    const registered = await registerModelVersionFromIngest(db, { orgId: own.orgId, model, version: "v1", featureSchema: FEATURES, predictionKind: "binary" });
    const [elsewhere] = await db.insert(projects).values({ orgId: own.orgId, slug: "elsewhere", name: "Elsewhere" }).returning();
    const sibling = await registerModelVersionFromIngest(db, { orgId: own.orgId, model: uniqueSlug("matrix-sibling"), version: "v1", featureSchema: FEATURES, predictionKind: "binary" });
    const setupKey = (await seedKey(db, own.orgId, ["admin"])).key;

    const bearer = (key: string) => () => ({ authorization: `Bearer ${key}` });
    const user = async (orgId: string, role: "owner" | "admin" | "editor" | "viewer") => (await seedUser(db, orgId, role)).headers;
    const narrowed = await seedUser(db, own.orgId, "admin");
    await db.insert(projectRoles).values({ orgId: own.orgId, userId: narrowed.userId, projectId: own.projectId, role: "viewer" });
    const key = async (orgId: string, scopes: ("ingest" | "read" | "write" | "admin")[], extra = {}) => bearer((await seedKey(db, orgId, scopes, extra)).key);
    const headers: Record<Who, (write: boolean) => Record<string, string>> = {
      anon: () => ({}),
      inst: bearer(INSTANCE_TOKEN),
      owner: await user(own.orgId, "owner"),
      admin: await user(own.orgId, "admin"),
      editor: await user(own.orgId, "editor"),
      viewer: await user(own.orgId, "viewer"),
      narrowed: narrowed.headers,
      "k:ingest": await key(own.orgId, ["ingest"]),
      "k:read": await key(own.orgId, ["read"]),
      "k:write": await key(own.orgId, ["write"]),
      "k:admin": await key(own.orgId, ["admin"]),
      "kP:in": await key(own.orgId, ["admin"], { projectId: own.projectId }),
      "kP:out": await key(own.orgId, ["admin"], { projectId: elsewhere!.id }),
      "kM:in": await key(own.orgId, ["admin"], { projectId: own.projectId, modelId: registered.modelId }),
      "kM:out": await key(own.orgId, ["admin"], { projectId: own.projectId, modelId: sibling.modelId }),
      "x:owner": await user(other.orgId, "owner"),
      "x:key": await key(other.orgId, ["admin"]),
    };

    /** Calls the API as an org-wide admin key of the own org; a failure stops the test with its reason. */
    async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await requests(() => app.request(path, { method, headers: { authorization: `Bearer ${setupKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }, env));
      const text = await res.text();
      if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }

    const rows = Array.from({ length: 40 }, (_, i) => ({ x: i / 4 }));
    const profile = buildProfile(rows, { features: [{ name: "x" }] });
    const v1 = `/v1/models/${model}/versions/v1`;
    const events = () => ({ model, version: "v1", events: [{ prediction_id: `p-${crypto.randomUUID()}`, timestamp: new Date().toISOString(), features: { x: 1 }, prediction: 1 }] });
    const ruleBody = () => ({ model, name: uniqueSlug("rule"), severity: "info", window: "5m", condition: { kind: "no_data", minutes: 5 } });
    const fixture = {
      model,
      v1,
      rows,
      profile,
      headers,
      events,
      ruleBody,
      reportBody: () => ({ kind: "model-risk", model, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString(), format: "json" }),
      scheduleBody: () => ({ kind: "model-risk", model, cron: "0 7 * * 1", format: "json", channels: [] }),
      schedule: async () => (await api<{ id: string }>("POST", "/v1/report-schedules", { kind: "model-risk", model, cron: "0 7 * * 1", format: "json", channels: [] })).id,
      /** KServe V1 halves in structured mode: the request is sent here, the response is the call under test. */
      cloudEventPair: async (who: Who): Promise<Call> => {
        const path = `/v1/integrations/cloudevents?model=${model}&version=v1&features=x`;
        const id = crypto.randomUUID();
        const half = (type: string, data: unknown) => JSON.stringify({ specversion: "1.0", id, source: "matrix", type: `org.kubeflow.serving.inference.${type}`, datacontenttype: "application/json", data });
        const ce = { "content-type": "application/cloudevents+json" };
        await requests(() => app.request(path, { method: "POST", headers: { ...ce, ...headers[who](true) }, body: half("request", { instances: [[1]] }) }, env));
        return { path, raw: half("response", { predictions: [1] }), headers: ce };
      },
      channel: async () => (await api<{ id: string }>("POST", "/v1/channels", CHANNEL)).id,
      rule: async () => (await api<{ id: string }>("POST", "/v1/rules", ruleBody())).id,
      /** An open alert on the matrix model, written as the evaluator writes one (the dispatcher path is covered in workers/alerts). */
      alert: async () => {
        const now = new Date();
        const [row] = await pick()
          .insert(alerts)
          .values({ orgId: own.orgId, modelId: registered.modelId, model, version: "v1", ruleName: "Feature drift", ruleKind: "feature_drift", severity: "critical", window: "5m", status: "open", firingId: `${crypto.randomUUID()}@${now.getTime()}`, summary: "1 feature(s) drifted", openedAt: now, lastFiredAt: now })
          .returning({ id: alerts.id });
        return row!.id;
      },
      delivery: async (status: "dead" | "awaiting_approval") => {
        const id = (await queueDelivery(pick(), own.orgId, shared.channel, testNotification(crypto.randomUUID(), { type: "system", id: "evaluator" }, "https://vigil.example.com"), status === "dead" ? "pending" : "awaiting_approval"))!;
        if (status === "dead") await pick().update(deliveries).set({ status: "dead", nextAttemptAt: null }).where(eq(deliveries.id, id));
        return id;
      },
      apiKey: async () => (await seedKey(pick(), own.orgId, ["read"])).id,
      member: async () => (await seedUser(pick(), own.orgId, "viewer")).userId,
      version: async () => {
        const name = uniqueSlug("v");
        await registerModelVersionFromIngest(pick(), { orgId: own.orgId, model, version: name, featureSchema: FEATURES, predictionKind: "binary" });
        return name;
      },
      baseline: async () => (await api<{ id: string }>("POST", `${v1}/baselines`, { name: uniqueSlug("b"), profile, activate: false })).id,
      loginLink: async () => encodeURIComponent((await createLoginLink(pick(), shared.signIn.userId, own.orgId)).token),
      shared: {} as {
        channel: string;
        rule: string;
        alert: string;
        member: string;
        baseline: string;
        erasure: string;
        report: string;
        schedule: string;
        auditExport: string;
        signIn: TestUser;
      },
      secrets: [own.orgId, own.projectId, registered.modelId, registered.versionId],
    };
    const shared = fixture.shared;
    shared.signIn = await seedUser(db, own.orgId, "viewer", { passwordHash: await hashPassword(SIGN_IN_PASSWORD) });
    shared.channel = await fixture.channel();
    shared.rule = await fixture.rule();
    shared.alert = await fixture.alert();
    shared.member = await fixture.member();
    shared.baseline = await fixture.baseline();
    await api("PUT", `${v1}/value-matrix`, VALUE_MATRIX);
    await api("POST", "/v1/outcomes", { model, outcomes: [{ prediction_id: "p-0", kpi: "revenue", value: 1, timestamp: new Date().toISOString() }] });
    shared.erasure = (await api<{ id: string }>("POST", "/v1/erasure", { subject_id: "nobody-at-all" })).id;
    shared.report = (await api<{ id: string }>("POST", "/v1/reports", fixture.reportBody())).id;
    shared.schedule = await fixture.schedule();
    const jsonl = "";
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(jsonl)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const [exported] = await db
      .insert(auditExports)
      .values({ orgId: own.orgId, firstId: 1, lastId: 1, records: 0, firstPrevHash: "0".repeat(64), lastHash: "0".repeat(64), cutoff: new Date(), sha256: sha, bytes: 0, location: "postgres", body: jsonl })
      .returning({ id: auditExports.id });
    shared.auditExport = exported!.id;
    return fixture;
  }
}
