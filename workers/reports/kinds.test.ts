// The performance, model-risk, audit-trail and gdpr-processing reports through the real
// Worker, Durable Objects and Postgres: each built from data made through the API (past
// traffic with labels, a model's life through versions, stages, a signed promotion,
// thresholds, alerts with notes, an erasure), generated as JSON and checked for the
// numbers it must carry; one of each compliance kind as PDF; the audit-trail refusal past
// MAX_AUDIT_RECORDS.
import { and, eq, gt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { alerts, auditLog, reports } from "../db/schema/index.ts";
import { settle } from "../erasure/testing.ts";
import { profile, seedSigningOrg, setPolicy, signature, type SigningOrg } from "../signatures/testing.ts";
import { seedKey, seedOrg, uniqueSlug, withDb } from "../testing/seed.ts";
import { bearer, drained, generate, ok, request, type Headers } from "./kinds-testing.ts";
import { MAX_AUDIT_RECORDS } from "./request.ts";

const HOUR = 3_600_000;

describe("a performance report", () => {
  let key: Headers;
  let orgId: string;
  const cls = uniqueSlug("perf-cls");
  const reg = uniqueSlug("perf-reg");
  const now = Date.now();
  const top = Math.floor(now / HOUR) * HOUR;
  // Three past hours of 40 binary predictions (i % 2); the two older ones labelled, with 4 and 10 errors.
  const hours = [3, 2, 1].map((h) => ({ h, t: top - h * HOUR, wrong: h === 3 ? 4 : h === 2 ? 10 : null }));
  const eventsOf = (t: number, h: number) => Array.from({ length: 40 }, (_, i) => ({ prediction_id: `c${h}-${i}`, timestamp: new Date(t + i * 60_000 + 1_000).toISOString(), features: { x: i }, prediction: i % 2, score: (i % 10) / 10 + 0.05 }));
  const actualOf = (i: number, wrong: number) => (i < wrong ? 1 - (i % 2) : i % 2);

  beforeAll(async () => {
    await withDb(async (db) => {
      orgId = (await seedOrg(db)).orgId;
      key = bearer((await seedKey(db, orgId, ["read", "write", "ingest"])).key);
    });
    await ok(request(key, "POST", "/v1/models", { name: cls, prediction_kind: "binary" }), 201);
    await ok(request(key, "POST", "/v1/models", { name: reg, prediction_kind: "regression" }), 201);
    for (const { h, t, wrong } of hours) {
      const events = eventsOf(t, h);
      await ok(request(key, "POST", "/v1/ingest", { model: cls, version: "v1", events }));
      if (wrong !== null) await ok(request(key, "POST", "/v1/actuals", { model: cls, version: "v1", actuals: events.map((e, i) => ({ prediction_id: e.prediction_id, actual: actualOf(i, wrong) })) }));
    }
    // Regression: two past hours of 20 predictions, each off by (i % 5) - 2.
    for (const h of [2, 1]) {
      const events = Array.from({ length: 20 }, (_, i) => ({ prediction_id: `r${h}-${i}`, timestamp: new Date(top - h * HOUR + i * 60_000).toISOString(), features: { x: i }, prediction: 10.5 + i }));
      await ok(request(key, "POST", "/v1/ingest", { model: reg, version: "v1", events }));
      await ok(request(key, "POST", "/v1/actuals", { model: reg, version: "v1", actuals: events.map((e, i) => ({ prediction_id: e.prediction_id, actual: e.prediction + (i % 5) - 2 })) }));
    }
    await drained(orgId, cls, "v1");
    await drained(orgId, reg, "v1");
  }, 60_000);

  const range = () => ({ from: new Date(top - 3 * HOUR).toISOString(), to: new Date().toISOString() });

  it("carries the confusion matrix, the metrics over the range and per hour, coverage and label delay", async () => {
    const { doc } = await generate(key, { kind: "performance", model: cls, version: "v1", format: "json", ...range() });
    const d = doc.data;
    expect(d).toMatchObject({ model: cls, version: "v1", task: "classification", predictions: 120, labeled: 80 });
    expect(d.label_coverage).toBeCloseTo(80 / 120, 12);
    // The confusion counts, tallied here from the labels sent.
    const counts = { "0": { "0": 0, "1": 0 }, "1": { "0": 0, "1": 0 } } as Record<string, Record<string, number>>;
    for (const { wrong } of hours) if (wrong !== null) for (let i = 0; i < 40; i++) counts[String(actualOf(i, wrong))]![String(i % 2)]! += 1;
    expect(d.confusion_matrix.labels).toEqual(["0", "1"]);
    expect(d.confusion_matrix.counts).toEqual([[counts["0"]!["0"], counts["0"]!["1"]], [counts["1"]!["0"], counts["1"]!["1"]]]);
    expect(d.metrics.accuracy).toBeCloseTo(66 / 80, 12);
    const tp = counts["1"]!["1"]!, fp = counts["0"]!["1"]!, fn = counts["1"]!["0"]!;
    expect(d.metrics.precision).toBeCloseTo(tp / (tp + fp), 12);
    expect(d.metrics.recall).toBeCloseTo(tp / (tp + fn), 12);
    expect(d.metrics.roc_auc).toBeGreaterThan(0);
    expect(d.regression).toBeNull();
    // Over time: one point per hour of prediction time, the unlabelled hour with no metrics.
    expect(d.over_time.step_seconds).toBe(3600);
    expect(d.over_time.points.map((p: any) => [Date.parse(p.at), p.rows, p.labeled])).toEqual([[hours[0]!.t, 40, 40], [hours[1]!.t, 40, 40], [hours[2]!.t, 40, 0]]);
    expect(d.over_time.points.map((p: any) => p.metrics.accuracy ?? null)).toEqual([36 / 40, 30 / 40, null]);
    expect(d.over_time.points.map((p: any) => p.coverage)).toEqual([1, 1, 0]);
    // Label delay at generation: the last hour (under an hour old) unlabelled, the older two labelled.
    const band = (lo: number) => d.label_delay.find((b: any) => b.min_age_hours === lo);
    expect(band(0)).toMatchObject({ max_age_hours: 1, predictions: 40, labeled: 0, coverage: 0 });
    expect(band(1)).toMatchObject({ max_age_hours: 6, predictions: 80, labeled: 80, coverage: 1 });
    expect(d.label_delay.at(-1)).toMatchObject({ max_age_hours: null, predictions: 0, coverage: null });
  });

  it("carries the regression errors", async () => {
    const { doc } = await generate(key, { kind: "performance", model: reg, version: "v1", format: "json", ...range() });
    const d = doc.data;
    expect(d).toMatchObject({ task: "regression", predictions: 40, labeled: 40, label_coverage: 1, confusion_matrix: null });
    // Errors -2..2, eight of each: MAE 1.2, RMSE √2, no bias.
    expect(d.regression.n).toBe(40);
    expect(d.regression.mae).toBeCloseTo(1.2, 12);
    expect(d.regression.rmse).toBeCloseTo(Math.SQRT2, 12);
    expect(d.regression.bias).toBeCloseTo(0, 12);
    expect(d.metrics.mae).toBeCloseTo(1.2, 12);
    expect(Object.keys(d.regression).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
    expect(d.over_time.points.map((p: any) => p.metrics.mae)).toEqual([1.2, 1.2].map((v) => expect.closeTo(v, 12)));
  });

  it("says so when nothing in the range is labelled, rather than inventing metrics", async () => {
    const { doc } = await generate(key, { kind: "performance", model: cls, version: "v1", format: "json", from: new Date(top - HOUR).toISOString(), to: new Date().toISOString() });
    expect(doc.data).toMatchObject({ predictions: 40, labeled: 0, metrics: {}, confusion_matrix: null, regression: null });
  });
});

describe("compliance reports on a model's life", () => {
  let org: SigningOrg;
  let admin: Headers;
  let writer: Headers;
  const model = uniqueSlug("risk");
  const other = uniqueSlug("elsewhere");
  let start: string;
  let versionId: string;
  let baselineId: string;
  let ruleId: string;
  let alertId: string;
  let erasureId: string;

  beforeAll(async () => {
    org = await seedSigningOrg(2);
    admin = org.admin.headers();
    writer = org.writer.headers();
    start = new Date(Date.now() - 1_000).toISOString();
    await ok(request(writer, "POST", "/v1/models", { name: model, prediction_kind: "binary", description: "Retail credit default", owners: ["risk-team@bank.test"], tags: { tier: "1" } }), 201);
    versionId = (await ok(request(writer, "POST", `/v1/models/${model}/versions`, {
      version: "v1",
      owners: ["ana@bank.test"],
      feature_schema: [{ name: "age", kind: "numerical", dtype: "float" }, { name: "country", kind: "categorical", dtype: "string" }, { name: "email", kind: "categorical", dtype: "string", pii: "email" }],
      thresholds: { age: { drift: 0.2 } },
    }), 201)).id;
    baselineId = (await ok(request(writer, "POST", `/v1/models/${model}/versions/v1/baselines`, { name: "training-2026", profile: profile(), activate: true, note: "training sample" }), 201)).id;
    await ok(request(writer, "PATCH", `/v1/models/${model}/versions/v1`, { thresholds: { age: { drift: 0.3 } }, note: "widened after the annual review" }));
    await ok(request(writer, "POST", `/v1/models/${model}/versions/v1/promote`, { stage: "staging", note: "validation passed" }));
    await setPolicy(org, { production_promotion: { required: true, approvals: 1 } });
    await ok(request(org.signers[0]!.headers(true), "POST", `/v1/models/${model}/versions/v1/promote`, { stage: "production", note: "approved by model risk", signature: signature("approved") }));
    ruleId = (await ok(request(writer, "POST", "/v1/rules", { model, name: "Age drift", severity: "warning", window: "5m", condition: { kind: "feature_drift" } }), 201)).id;
    alertId = await withDb(async (db) => {
      const at = new Date();
      const [m] = await db.execute<{ id: string }>(sql`select id from models where org_id = ${org.orgId} and name = ${model}`).then((r) => r.rows);
      const [row] = await db.insert(alerts).values({ orgId: org.orgId, modelId: m!.id, model, version: "v1", ruleId, ruleName: "Age drift", ruleKind: "feature_drift", severity: "warning", window: "5m", status: "open", firingId: `${ruleId}@${at.getTime()}`, summary: "1 feature(s) drifted; worst age", openedAt: at, lastFiredAt: at }).returning({ id: alerts.id });
      return row!.id;
    });
    await ok(request(writer, "POST", `/v1/alerts/${alertId}/ack`, { note: "looking at the age shift" }));
    await ok(request(writer, "POST", `/v1/alerts/${alertId}/resolve`, { note: "new branch onboarding, expected" }));
    // A change to another model, which a report on `model` must leave out.
    await ok(request(writer, "POST", "/v1/models", { name: other, prediction_kind: "binary", description: "not in scope" }), 201);
    const erasure = await ok(request(admin, "POST", "/v1/erasure", { subject_id: `subject-${crypto.randomUUID()}`, model }), 202);
    erasureId = (await settle({ orgId: org.orgId, admin: (admin.authorization ?? "").slice(7), ingest: "" }, erasure.id)).id;
  }, 60_000);

  const range = () => ({ from: start, to: new Date().toISOString() });

  it("model-risk: identity, versions and stages, baselines, thresholds, alerts with notes, approvals and signatures", async () => {
    const { doc } = await generate(writer, { kind: "model-risk", model, format: "json", ...range() });
    const d = doc.data;
    expect(d.model).toMatchObject({ name: model, description: "Retail credit default", project: "default", prediction_kind: "binary", owners: ["risk-team@bank.test"], tags: { tier: "1" } });
    expect(d.versions).toHaveLength(1);
    const v = d.versions[0];
    expect(v).toMatchObject({ version: "v1", stage: "production", owners: ["ana@bank.test"], thresholds: { age: { drift: 0.3 } } });
    expect(v.features).toEqual([{ name: "age", kind: "numerical", pii: null }, { name: "country", kind: "categorical", pii: null }, { name: "email", kind: "categorical", pii: "email" }]);
    expect(v.stage_history.map((t: any) => [t.from, t.to, t.note])).toEqual([[null, "development", "created"], ["development", "staging", "validation passed"], ["staging", "production", "approved by model risk"]]);
    expect(v.stage_history[2].actor).toBe(`user:${org.signers[0]!.email}`);
    expect(v.baselines).toEqual([expect.objectContaining({ id: baselineId, name: "training-2026", active: true, rows: 50 })]);
    expect(d.alert_rules.map((r: any) => r.name)).toContain("Age drift");
    expect(d.alerts).toEqual([expect.objectContaining({ id: alertId, rule: "Age drift", status: "resolved", severity: "warning" })]);
    expect(d.alerts[0].notes.map((n: any) => [n.action, n.note])).toEqual([["acknowledged", "looking at the age shift"], ["resolved", "new branch onboarding, expected"]]);
    expect(d.alert_counts).toEqual({ in_range: 1, open_at_end: 0 });
    expect(d.approvals).toEqual([expect.objectContaining({ action: "production_promotion", version: "v1", status: "applied", required: 1 })]);
    expect(d.signatures).toEqual([expect.objectContaining({ action: "production_promotion", version: "v1", meaning: "approved", signer: `${org.signers[0]!.name} <${org.signers[0]!.email}>` })]);
    expect(d.signatures[0].record_sha256).toBe(d.approvals[0].record_sha256);
  });

  it("audit-trail: every change to the model in the range with actor, before/after, reason, signatures and the chain check", async () => {
    const { report, doc } = await generate(admin, { kind: "audit-trail", model, format: "json", ...range() });
    const d = doc.data;
    expect(d.scope).toEqual({ project: "default", model });
    const actions = d.records.map((r: any) => r.action);
    for (const a of ["model.create", "model_version.create", "baseline.create", "thresholds.update", "model_version.stage", "signature.sign", "rule.create", "alert.acknowledge", "alert.resolve"]) expect(actions).toContain(a);
    const thresholds = d.records.find((r: any) => r.action === "thresholds.update");
    expect(thresholds).toMatchObject({ target: { type: "model_version", id: versionId }, actor: { type: "api_key" }, reason: "widened after the annual review" });
    expect(thresholds.before.thresholds).toEqual({ age: { drift: 0.2 } });
    expect(thresholds.after.thresholds).toEqual({ age: { drift: 0.3 } });
    const stages = d.records.filter((r: any) => r.action === "model_version.stage");
    expect(stages.map((r: any) => [r.before.stage, r.after.stage, r.reason])).toEqual([["development", "staging", "validation passed"], ["staging", "production", "approved by model risk"]]);
    expect(stages[1].actor).toEqual({ type: "user", id: org.signers[0]!.email });
    // Oldest first, nothing about the other model, and exactly what the log holds for these targets.
    const ids = d.records.map((r: any) => r.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    expect(JSON.stringify(d.records)).not.toContain(other);
    const owned = await withDb(async (db) => (await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.orgId, org.orgId), sql`${auditLog.targetId} in (${versionId}, ${baselineId}, ${ruleId}, ${alertId})`))).map((r) => r.id));
    expect(ids).toEqual(expect.arrayContaining(owned));
    for (const r of d.records) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(d.signatures).toEqual([expect.objectContaining({ meaning: "approved", action: "production_promotion", model, version: "v1", signer: { name: org.signers[0]!.name, email: org.signers[0]!.email } })]);
    expect(ids).toContain(d.signatures[0].audit_id);
    // The chain as verified when generation began: intact, ending at the record before the report's own.
    expect(d.chain_verification).toEqual({ ok: true, checked: report.audit_anchor.checked, last_hash: report.audit_anchor.last_hash, record_id: report.audit_anchor.record_id });
    const lastBefore = await withDb(async (db) => (await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).where(and(eq(auditLog.orgId, org.orgId), gt(auditLog.id, d.chain_verification.record_id)))).map((r) => r.id));
    expect(lastBefore.length).toBeGreaterThanOrEqual(1); // the report's own report.generated, after the anchor
    expect(d.counts["model_version.stage"]).toBe(2);
  });

  it("gdpr-processing: the Art. 30 record with pii features, retention in force, erasure requests and certificates", async () => {
    await ok(request(admin, "PUT", `/v1/models/${model}/retention`, { raw_events_days: 3 }));
    const { doc } = await generate(admin, { kind: "gdpr-processing", model, format: "json", ...range() });
    const d = doc.data;
    expect(d.scope).toEqual({ project: "default", model });
    expect(d.models).toEqual([model]);
    expect(d.pii_features).toEqual([{ model, version: "v1", stage: "production", feature: "email", kind: "categorical", pii: "email" }]);
    expect(d.retention.org).toMatchObject({ source: "default", raw_events_days: 7, aggregates_days: 395, audit_days: 2555 });
    expect(d.retention.model_overrides[model]).toMatchObject({ source: "org policy with model overrides", raw_events_days: 3, aggregates_days: 395 });
    expect(d.erasure_requests).toEqual([expect.objectContaining({ id: erasureId, status: "done", model, certificate_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), audit_id: expect.any(Number) })]);
    const view = await ok(request(admin, "GET", `/v1/erasure/${erasureId}`));
    expect(d.erasure_requests[0].certificate_sha256).toBe(view.certificate.sha256);
    expect(d.erasure_requests[0].audit_id).toBe(view.certificate.audit_id);
    // Org-wide, the other model is listed too, without pii features.
    const org_ = (await generate(admin, { kind: "gdpr-processing", format: "json", ...range() })).doc.data;
    expect(org_.models).toEqual(expect.arrayContaining([model, other]));
    expect(org_.pii_features.map((f: any) => f.model)).toEqual([model]);
    // A range before the erasure lists none.
    const before = (await generate(admin, { kind: "gdpr-processing", model, format: "json", from: new Date(Date.parse(start) - 2 * HOUR).toISOString(), to: start })).doc.data;
    expect(before.erasure_requests).toEqual([]);
  });

  it("as PDF: each compliance kind renders a real PDF under 2 MB with the JSON attached", async () => {
    for (const kind of ["model-risk", "audit-trail", "gdpr-processing"]) {
      const { report, bytes } = await generate(admin, { kind, model, format: "pdf", ...range() });
      expect(new TextDecoder().decode(bytes.slice(0, 5)), kind).toBe("%PDF-");
      expect(new TextDecoder("latin1").decode(bytes.slice(-1024))).toContain("%%EOF");
      expect(bytes.byteLength).toBeLessThan(2 * 1024 * 1024);
      expect(report.content_type).toBe("application/pdf");
    }
  });

  it("audit-trail scope needs admin: a write key gets 403", async () => {
    const res = await ok(request(writer, "POST", "/v1/reports", { kind: "audit-trail", model, format: "json", ...range() }), 403);
    expect(res.error.code).toBe("forbidden");
  });
});

describe("an audit trail past MAX_AUDIT_RECORDS", () => {
  it("is refused with 422 too_many_records naming the count, and leaves no report behind", async () => {
    const { orgId, key } = await withDb(async (db) => {
      const o = await seedOrg(db);
      // Bulk rows (not chained: this org's chain is not what is under test), all in the last minute.
      await db.execute(sql`insert into audit_log (org_id, at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
        select ${o.orgId}::uuid, now() - interval '30 seconds', 'system', 'bulk', 'bulk.change', 'thing', g::text, '{}'::jsonb, repeat('0', 64), repeat('0', 64)
        from generate_series(1, ${MAX_AUDIT_RECORDS + 1}) g`);
      return { orgId: o.orgId, key: (await seedKey(db, o.orgId, ["admin"])).key };
    });
    const body = { kind: "audit-trail", format: "json", from: new Date(Date.now() - HOUR).toISOString(), to: new Date().toISOString() };
    const e = await ok(request(bearer(key), "POST", "/v1/reports", body), 422);
    expect(e.error).toMatchObject({ code: "too_many_records", details: [{ field: "from", error: expect.stringContaining(`${(MAX_AUDIT_RECORDS + 1).toLocaleString("en-US")} audit records`) }] });
    const left = await withDb((db) => db.select({ id: reports.id }).from(reports).where(eq(reports.orgId, orgId)));
    expect(left).toEqual([]);
  }, 60_000);
});
