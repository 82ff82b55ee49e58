// Retention end to end against the real Worker, Durable Objects and Postgres: the policy
// API (validation, audit floor, model overrides), a run over every store with what each
// removed, and the audit log dropping only exported, verified prefixes.
import { and, asc, count, eq, lt, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, auditEntryHash, type AuditContent } from "../audit/hash.ts";
import type { Database } from "../db/client.ts";
import { auditExports, auditLog, businessOutcomes, channels, deliveries, deliveryAttempts, featureScores, monitorAggregates, monitorSeries, retentionPolicies } from "../db/schema/index.ts";
import { sha256Hex } from "../erasure/certificate.ts";
import { call, json, seedErasureOrg, type ErasureOrg } from "../erasure/testing.ts";
import { seedUser } from "../testing/principals.ts";
import { testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { exports } from "cloudflare:workers";
import { DEFAULT_RETENTION } from "./policy.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

describe("retention policy API", () => {
  let org: ErasureOrg;
  beforeAll(async () => {
    org = await seedErasureOrg();
  });

  it("answers the documented defaults until an admin sets a policy, then the policy, audited with before and after", async () => {
    expect(await json(await call(org.admin, "GET", "/v1/retention"), 200)).toMatchObject({ ...DEFAULT_RETENTION, is_default: true, audit_min_days: 365, updated_by: null });
    const set = await json(await call(org.admin, "PUT", "/v1/retention", { raw_events_days: 3, audit_days: 400 }), 200);
    expect(set).toMatchObject({ ...DEFAULT_RETENTION, raw_events_days: 3, audit_days: 400, is_default: false, updated_by: { type: "api_key" } });
    expect(await json(await call(org.admin, "GET", "/v1/retention"), 200)).toMatchObject({ raw_events_days: 3, labels_days: DEFAULT_RETENTION.labels_days });
    const audit = await json(await call(org.admin, "GET", "/v1/audit?action=retention.update"), 200);
    expect(audit.items[0].details).toMatchObject({ before: { raw_events_days: 7, audit_days: 2555 }, after: { raw_events_days: 3, audit_days: 400 } });
  });

  it.each([
    [{ raw_events_days: 0 }, "raw_events_days", /at least 1/],
    [{ labels_days: 3651 }, "labels_days", /at most 3650/],
    [{ aggregates_days: 1.5 }, "aggregates_days", /whole number/],
    [{ outcomes_days: "30" }, "outcomes_days", /whole number/],
    [{ deliveries_days: 30, keep_forever: true }, "keep_forever", /.+/],
  ])("refuses %j with 400 naming %s", async (body, field, message) => {
    const res = await json(await call(org.admin, "PUT", "/v1/retention", body), 400);
    expect(res.error.code).toBe("validation_failed");
    expect(res.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field), error: expect.stringMatching(message) })]));
  });

  it("keeps audit records at least 365 days unless a signed-in instance admin sets less", async () => {
    const res = await json(await call(org.admin, "PUT", "/v1/retention", { audit_days: 30 }), 403);
    expect(res.error.details).toEqual([expect.objectContaining({ field: "audit_days" })]);
    const { owner, instanceAdmin } = await withDb(async (db) => ({ owner: await seedUser(db, org.orgId, "owner"), instanceAdmin: await seedUser(db, org.orgId, "admin", { instanceAdmin: true }) }));
    const asUser = (u: typeof owner) =>
      exports.default.fetch(new Request("http://127.0.0.1/v1/retention", { method: "PUT", headers: { ...u.headers(true), "content-type": "application/json" }, body: JSON.stringify({ audit_days: 30 }) }));
    expect((await asUser(owner)).status).toBe(403);
    expect(await json(await asUser(instanceAdmin), 200)).toMatchObject({ audit_days: 30, updated_by: { type: "user", id: instanceAdmin.email } });
    const audit = await json(await call(org.admin, "GET", "/v1/audit?action=retention.update&limit=1"), 200);
    expect(audit.items[0]).toMatchObject({ actor: { type: "user", id: instanceAdmin.email }, details: { audit_below_minimum: true, after: { audit_days: 30 } } });
  });

  it("refuses the policy to keys without admin over the whole org", async () => {
    expect((await call(org.ingest, "GET", "/v1/retention")).status).toBe(403);
    expect((await call(org.ingest, "POST", "/v1/retention/run")).status).toBe(403);
  });

  it("sets a model's overrides (null and absent follow the org), refuses org-wide fields and unknown models", async () => {
    const model = uniqueSlug("ret");
    await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: [{ prediction_id: "p", features: { x: 1 }, prediction: 1 }] }), 200);
    const set = await json(await call(org.admin, "PUT", `/v1/models/${model}/retention`, { raw_events_days: 30, labels_days: null }), 200);
    expect(set).toMatchObject({ model, overrides: { raw_events_days: 30 }, effective: { raw_events_days: 30, labels_days: DEFAULT_RETENTION.labels_days, audit_days: 30 } });
    expect(set.overrides).not.toHaveProperty("labels_days");
    expect(await json(await call(org.admin, "GET", `/v1/models/${model}/retention`), 200)).toEqual(set);
    const bad = await json(await call(org.admin, "PUT", `/v1/models/${model}/retention`, { audit_days: 400 }), 400);
    expect(bad.error.details[0].field).toContain("audit_days");
    expect((await call(org.admin, "PUT", `/v1/models/${model}/retention`, { outcomes_days: 0 })).status).toBe(400);
    expect((await call(org.admin, "GET", "/v1/models/no-such-model/retention")).status).toBe(404);
    expect(await json(await call(org.admin, "PUT", `/v1/models/${model}/retention`, {}), 200)).toMatchObject({ overrides: {}, effective: { raw_events_days: 3 } });
    const audit = await json(await call(org.admin, "GET", "/v1/audit?action=retention.model_update"), 200);
    expect(audit.items.map((i: any) => i.details.after)).toEqual([{}, { raw_events_days: 30 }]);
  });
});

describe("a retention run", () => {
  let org: ErasureOrg;
  let run: any;
  const churn = uniqueSlug("churn");
  const keep = uniqueSlug("keep");

  const event = (id: string, daysAgo: number) => ({ prediction_id: id, timestamp: ago(daysAgo).toISOString(), features: { amount: 10 }, prediction: 1, score: 0.7 });

  async function seedPostgres(db: Database, orgId: string) {
    for (const model of [churn, keep]) {
      await db.insert(businessOutcomes).values([7, 1].map((d) => ({ orgId, model, at: ago(d), kpi: "revenue", value: d })));
      await db.insert(monitorAggregates).values([20, 5].map((d, i) => ({ orgId, model, version: "v1", window: "5m", at: ago(d), windowFrom: ago(d), tick: i, rows: 1, driftedFeatures: 0, summary: {} })));
      await db.insert(featureScores).values([20, 5].map((d) => ({ orgId, model, version: "v1", window: "5m", at: ago(d), feature: "amount", method: "wasserstein", score: 0.1, threshold: 0.1, drifted: false, count: 1 })));
      await db.insert(monitorSeries).values([20, 5].map((d) => ({ orgId, model, version: "v1", granularity: "hour", t: ago(d), rows: 1, labeled: 0, revision: 1 })));
    }
    const [channel] = await db.insert(channels).values({ orgId, name: "hook", kind: "webhook", config: {} }).returning();
    const made = await db
      .insert(deliveries)
      .values(
        (
          [
            ["delivered", 4],
            ["dead", 4],
            ["pending", 4],
            ["delivered", 1],
          ] as const
        ).map(([status, d]) => ({ orgId, channelId: channel!.id, event: "test", dedupeKey: crypto.randomUUID(), payload: {}, status, createdAt: ago(d) })),
      )
      .returning({ id: deliveries.id });
    await db.insert(deliveryAttempts).values([0, 1].map((i) => ({ deliveryId: made[0]!.id, attempt: i + 1, at: ago(4), ok: i === 1, latencyMs: 5 })));
  }

  beforeAll(async () => {
    org = await seedErasureOrg();
    await json(await call(org.ingest, "POST", "/v1/ingest", { model: churn, version: "v1", events: [event("c-old-0", 4), event("c-old-1", 4), event("c-old-2", 4), event("c-new-0", 0), event("c-new-1", 0)] }), 200);
    await json(await call(org.ingest, "POST", "/v1/ingest", { model: keep, version: "v1", events: [event("k-old-0", 4), event("k-old-1", 4)] }), 200);
    await withDb((db) => seedPostgres(db, org.orgId));
    await json(await call(org.admin, "PUT", "/v1/retention", { raw_events_days: 2, labels_days: 2, aggregates_days: 10, outcomes_days: 5, deliveries_days: 3, audit_days: 365 }), 200);
    await json(await call(org.admin, "PUT", `/v1/models/${keep}/retention`, { raw_events_days: 30, outcomes_days: 30 }), 200);
    run = await json(await call(org.admin, "POST", "/v1/retention/run", {}), 200);
  });

  it("answers what each store removed, following each model's overrides", () => {
    expect(run.errors).toEqual([]);
    expect(run.removed).toEqual({
      predictions: 3, // churn's 4-day-old predictions; keep's stay 30 days
      actuals: 0,
      baseline_events: 0,
      hour_aggregates: 0,
      outcomes: 1, // churn's 7-day-old outcome; keep's stays 30 days
      monitor_aggregates: 2, // 20 days old, both models (aggregates follow the org: 10 days)
      feature_scores: 2,
      monitor_series: 2,
      deliveries: 2, // finished and 4 days old; the pending one stays
      delivery_attempts: 2,
      redis: 0,
      audit_log: 0,
    });
  });

  it("leaves what is younger than its own retention, and the removed predictions no longer join", async () => {
    await withDb(async (db) => {
      // Rows seeded in the past (the monitors' own sinks add current ones meanwhile).
      const n = async (table: PgTable & { orgId: PgColumn }, time: PgColumn) => (await db.select({ n: count() }).from(table).where(and(eq(table.orgId, org.orgId), lt(time, ago(0.5)))))[0]!.n;
      expect(await n(businessOutcomes, businessOutcomes.at)).toBe(3);
      // Raw events 2 days, aggregates 10: the 5-day-old aggregates stay though the raw events of that time are gone.
      expect(await n(monitorAggregates, monitorAggregates.at)).toBe(2);
      expect(await n(featureScores, featureScores.at)).toBe(2);
      expect(await n(monitorSeries, monitorSeries.t)).toBe(2);
      const left = await db.select({ status: deliveries.status }).from(deliveries).where(eq(deliveries.orgId, org.orgId)).orderBy(asc(deliveries.status));
      expect(left.map((d) => d.status)).toEqual(["delivered", "pending"]);
    });
    const churned = await json(await call(org.ingest, "POST", "/v1/actuals", { model: churn, version: "v1", actuals: ["c-old-0", "c-new-0"].map((p) => ({ prediction_id: p, actual: 1 })) }), 200);
    expect(churned).toMatchObject({ matched: 1, unmatched: 1, unmatched_ids: ["c-old-0"] });
    const kept = await json(await call(org.ingest, "POST", "/v1/actuals", { model: keep, version: "v1", actuals: [{ prediction_id: "k-old-0", actual: 1 }] }), 200);
    expect(kept).toMatchObject({ matched: 1 });
  });

  it("is audited with its trigger, the policy and the counts; a second run removes only what aged out since", async () => {
    // k-old-0 was labelled meanwhile: its model keeps raw events 30 days but labels follow the org (2 days),
    // so the 4-day-old labelled prediction leaves with its label.
    const again = await json(await call(org.admin, "POST", "/v1/retention/run"), 200);
    expect(Object.entries(again.removed).filter(([, n]) => n !== 0)).toEqual([["predictions", 1], ["actuals", 1]]);
    const third = await json(await call(org.admin, "POST", "/v1/retention/run"), 200);
    expect(Object.entries(third.removed).filter(([, n]) => n !== 0)).toEqual([]);
    const left = await json(await call(org.ingest, "POST", "/v1/actuals", { model: keep, version: "v1", actuals: ["k-old-0", "k-old-1"].map((p) => ({ prediction_id: p, actual: 1 })) }), 200);
    expect(left).toMatchObject({ matched: 1, unmatched: 1, unmatched_ids: ["k-old-0"] });
    const audit = await json(await call(org.admin, "GET", "/v1/audit?action=retention.run"), 200);
    expect(audit.items).toHaveLength(3);
    expect(audit.items[2]).toMatchObject({ actor: { type: "api_key" }, details: { trigger: "api", removed: run.removed, policy: { raw_events_days: 2 }, model_overrides: 1, errors: [] } });
  });
});

/** Appends records to an org's chain by hand, stamped `at` (the application always stamps now). */
async function appendOld(db: Database, orgId: string, at: Date, n: number, corruptIndex = -1): Promise<void> {
  const [last] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(sql`${auditLog.id} desc`).limit(1);
  let prev = last?.hash ?? GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const content: AuditContent = { orgId, at: at.toISOString(), actorType: "system", actorId: "test", action: "model.create", targetType: "model", targetId: `m${i}`, details: {} };
    const hash = await auditEntryHash(prev, content);
    await db.insert(auditLog).values({ ...content, at, prevHash: prev, hash: i === corruptIndex ? "f".repeat(64) : hash });
    prev = hash;
  }
}

describe("audit retention", () => {
  it("exports the prefix older than audit_days, drops it, and the kept chain still verifies from the export's last hash", async () => {
    const org = await seedErasureOrg();
    await withDb((db) => appendOld(db, org.orgId, ago(400), 3));
    await json(await call(org.admin, "PUT", "/v1/retention", { audit_days: 365 }), 200);
    const before = await json(await call(org.admin, "GET", "/v1/audit?order=asc&limit=10"), 200);
    expect(before.items.map((i: any) => i.action)).toEqual(["model.create", "model.create", "model.create", "retention.update"]);

    const run = await json(await call(org.admin, "POST", "/v1/retention/run"), 200);
    expect(run.removed.audit_log).toBe(3);
    expect(run.audit_exports).toEqual([{ id: expect.any(String), first_id: before.items[0].id, last_id: before.items[2].id, records: 3, last_hash: before.items[2].hash, location: "postgres" }]);

    const after = await json(await call(org.admin, "GET", "/v1/audit?order=asc&limit=10"), 200);
    expect(after.items.map((i: any) => i.action)).toEqual(["retention.update", "audit.pruned", "retention.run"]);
    expect(after.items[0].prev_hash).toBe(run.audit_exports[0].last_hash);
    expect(after.items[1].details).toMatchObject({ records: 3, first_prev_hash: GENESIS_HASH, last_hash: before.items[2].hash });
    expect(await json(await call(org.admin, "GET", "/v1/audit/verify"), 200)).toMatchObject({ ok: true, checked: 3, starts_after: { export_id: run.audit_exports[0].id, last_id: before.items[2].id, last_hash: before.items[2].hash } });

    const listed = await json(await call(org.admin, "GET", "/v1/audit/exports"), 200);
    expect(listed.items).toEqual([expect.objectContaining({ id: run.audit_exports[0].id, records: 3, first_prev_hash: GENESIS_HASH, location: "postgres", object_key: null })]);
    const res = await call(org.admin, "GET", `/v1/audit/exports/${run.audit_exports[0].id}`);
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const body = await res.text();
    expect(await sha256Hex(body)).toBe(listed.items[0].sha256);
    expect(body.trim().split("\n").map((l) => JSON.parse(l))).toEqual(before.items.slice(0, 3));
  });

  it("drops a whole chain older than audit_days; the next record chains from the export", async () => {
    const org = await seedErasureOrg();
    await withDb(async (db) => {
      await appendOld(db, org.orgId, ago(800), 2);
      await db.insert(retentionPolicies).values({ orgId: org.orgId, ...{ rawEventsDays: 7, labelsDays: 7, aggregatesDays: 30, outcomesDays: 30, deliveriesDays: 30, auditDays: 365 }, updatedBy: { type: "system", id: "test" } });
    });
    const run = await json(await call(org.admin, "POST", "/v1/retention/run"), 200);
    expect(run.removed.audit_log).toBe(2);
    const after = await json(await call(org.admin, "GET", "/v1/audit?order=asc"), 200);
    expect(after.items.map((i: any) => i.action)).toEqual(["audit.pruned", "retention.run"]);
    expect(after.items[0].prev_hash).toBe(run.audit_exports[0].last_hash);
    expect(await json(await call(org.admin, "GET", "/v1/audit/verify"), 200)).toMatchObject({ ok: true, checked: 2 });
  });

  it("never drops a prefix that does not verify, and the database still refuses deleting records no export covers", async () => {
    const org = await seedErasureOrg();
    await withDb((db) => appendOld(db, org.orgId, ago(400), 3, 1));
    await json(await call(org.admin, "PUT", "/v1/retention", { audit_days: 365 }), 200);
    const run = await json(await call(org.admin, "POST", "/v1/retention/run"), 200);
    expect(run.removed.audit_log).toBe(0);
    expect(run.audit_exports).toEqual([]);
    expect(run.errors).toEqual([expect.stringMatching(/^audit log: audit record \d+ does not match its hash; the prefix is kept$/)]);
    await withDb(async (db) => {
      expect((await db.select({ n: count() }).from(auditLog).where(eq(auditLog.orgId, org.orgId)))[0]!.n).toBe(5);
      expect((await db.select({ n: count() }).from(auditExports).where(eq(auditExports.orgId, org.orgId)))[0]!.n).toBe(0);
      await expect(db.delete(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.actorId, "test")))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/audit_log is append-only/) } });
    });
  });
});

it("is wired to a daily cron in every environment and to npm start", async () => {
  const { AT_START, DAILY, JOBS } = await import("../scheduled/index.ts");
  expect(JOBS[DAILY]).toHaveLength(1);
  expect(JOBS[AT_START]).toHaveLength(1);
  expect(testEnv.DATABASE_URL).toBeTruthy();
});
