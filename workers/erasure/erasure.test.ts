// Erasure end to end against the real Worker, Durable Objects and Postgres: what goes,
// what stays, the certificate and its audit entry, idempotence, an unknown subject.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../../durable/model-monitor.ts";
import { Monitor } from "../../durable/monitor/monitor.ts";
import { MonitorStore } from "../../durable/monitor/storage.ts";
import { canonicalJson } from "../audit/hash.ts";
import { auditLog, businessOutcomes, erasureRequests } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { sha256Hex } from "./certificate.ts";
import { call, json, monitorText, seedErasureOrg, settle, type ErasureOrg } from "./testing.ts";

let org: ErasureOrg;
const model = uniqueSlug("gdpr");
const alice = `alice-${crypto.randomUUID()}`;
const bob = `bob-${crypto.randomUUID()}`;
const city = `Alicetown-${crypto.randomUUID().slice(0, 8)}`;
const pid = (name: string) => `${model}-${name}`;

const event = (id: string, subject: string | undefined, cityName = "Springfield") => ({
  prediction_id: pid(id), features: { amount: 10, city: cityName }, prediction: 1, score: 0.8, ...(subject ? { subject_id: subject } : {}),
});

beforeAll(async () => {
  org = await seedErasureOrg();
  const v1 = [event("a1", alice, city), event("a2", alice), event("a3", alice), event("b1", bob), event("b2", bob), event("n1", undefined)];
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: v1 }), 200);
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v2", events: [event("a4", alice)] }), 200);
  // n1 names no subject, but its actual does; b1's actual names none.
  const actuals = await json(await call(org.ingest, "POST", "/v1/actuals", { model, version: "v1", actuals: [{ prediction_id: pid("n1"), actual: 1, subject_id: alice }, { prediction_id: pid("b1"), actual: 0 }] }), 200);
  expect(actuals.matched).toBe(2);
  const outcomes = [{ kpi: "revenue", value: 5, subject_id: alice }, { kpi: "revenue", value: 6, prediction_id: pid("a2") }, { kpi: "revenue", value: 7, prediction_id: pid("b2") }];
  await json(await call(org.ingest, "POST", "/v1/outcomes", { model, outcomes }), 200);
});

describe("erasure of a data subject", () => {
  let view: any;
  let totalsBefore: unknown;

  beforeAll(async () => {
    totalsBefore = (await monitorStub(testEnv, org.orgId, model, "v1").stats()).totals;
    const created = await json(await call(org.admin, "POST", "/v1/erasure", { subject_id: alice }), 202);
    expect(created).toEqual({ id: expect.any(String), status: "pending" });
    view = await settle(org, created.id);
  });

  it("is done, with what each store removed", () => {
    expect(view.status).toBe("done");
    expect(view.completed_at).toEqual(expect.any(String));
    // predictions: a1-a3 (v1), a4 (v2), n1 (named by its actual); held baseline events: the same rows.
    expect(view.removed).toEqual({ predictions: 5, actuals: 1, baseline_events: 5, outcomes: 2, redis: 0 });
    expect(view.target).toEqual({ kind: "subject", subject_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), model: null });
    expect(JSON.stringify(view)).not.toContain(alice);
  });

  it("keeps the monitor's counts: aggregates are not rows", async () => {
    const after = (await monitorStub(testEnv, org.orgId, model, "v1").stats()).totals;
    expect(after).toEqual(totalsBefore);
    expect(after).toMatchObject({ events: 6, actuals: 2 });
  });

  it("leaves no trace of the subject in any Durable Object's storage, nor in Postgres", async () => {
    for (const version of ["v1", "v2"]) {
      const text = await monitorText(org.orgId, model, version);
      for (const gone of [alice, city, pid("a1"), pid("a2"), pid("a3"), pid("a4"), pid("n1")]) expect(text).not.toContain(gone);
    }
    expect(await monitorText(org.orgId, model, "v1")).toContain(pid("b2"));
    await withDb(async (db) => {
      const left = await db.select({ predictionId: businessOutcomes.predictionId }).from(businessOutcomes).where(eq(businessOutcomes.orgId, org.orgId));
      expect(left).toEqual([{ predictionId: pid("b2") }]);
      const [row] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, view.id));
      expect(row!.subjectId).toBeNull();
    });
  });

  it("answers actuals for erased predictions as unmatched, and still joins the others", async () => {
    const res = await json(await call(org.ingest, "POST", "/v1/actuals", { model, version: "v1", actuals: [pid("a1"), pid("a2"), pid("b2")].map((p) => ({ prediction_id: p, actual: 1 })) }), 200);
    expect(res).toMatchObject({ matched: 1, unmatched: 2, unmatched_ids: [pid("a1"), pid("a2")] });
  });

  it("certifies: the certificate's SHA-256 is recomputable and written to the audit log", async () => {
    const { certificate } = view;
    expect(certificate.sha256).toBe(await sha256Hex(canonicalJson(certificate.document)));
    expect(certificate.document).toMatchObject({ type: "vigil.erasure_certificate", request_id: view.id, org_id: org.orgId, removed: view.removed, requested_by: { type: "api_key" }, generator: `vigil ${testEnv.VIGIL_VERSION}` });
    await withDb(async (db) => {
      const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.targetId, view.id)));
      expect(entries.map((e) => e.action).sort()).toEqual(["erasure.completed", "erasure.requested"]);
      const done = entries.find((e) => e.action === "erasure.completed")!;
      expect(done.id).toBe(certificate.audit_id);
      expect(done.details.certificate_sha256).toBe(certificate.sha256);
      expect(JSON.stringify(entries)).not.toContain(alice);
    });
    expect(await json(await call(org.admin, "GET", "/v1/audit/verify"), 200)).toMatchObject({ ok: true });
  });

  it("nothing erased comes back after the object restarts, replays and freezes its baseline from the held events", async () => {
    const stub = monitorStub(testEnv, org.orgId, model, "v1");
    await stub.setAutoBaselineTarget(1);
    await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: [event("c1", undefined)] }), 200);
    await runDurableObjectAlarm(stub);
    const found = await runInDurableObject(stub, (_i: ModelMonitorServer, state) => {
      // A fresh Monitor over the same storage is what the object builds after an eviction.
      const fresh = new Monitor(new MonitorStore(state.storage));
      fresh.tick(Date.now());
      return [...fresh.store.join.find([pid("a1"), pid("n1"), pid("b1")]).keys()];
    });
    expect(found).toEqual([pid("b1")]);
    expect((await stub.live()).baseline.status).toBe("ready");
    expect(await monitorText(org.orgId, model, "v1")).not.toContain(city);
  });

  it("is idempotent: asking again is done with nothing removed", async () => {
    const again = await json(await call(org.admin, "POST", "/v1/erasure", { subject_id: alice }), 202);
    const second = await settle(org, again.id);
    expect(second.status).toBe("done");
    expect(second.removed).toEqual({ predictions: 0, actuals: 0, baseline_events: 0, outcomes: 0, redis: 0 });
    expect(second.certificate.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("erasure requests", () => {
  it("an unknown subject is done, zero removed, still certified", async () => {
    const created = await json(await call(org.admin, "POST", "/v1/erasure", { subject_id: "nobody-ever" }), 202);
    const done = await settle(org, created.id);
    expect(done).toMatchObject({ status: "done", removed: { predictions: 0, actuals: 0, baseline_events: 0, outcomes: 0, redis: 0 } });
    expect(done.certificate.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("erases listed prediction ids, limited to one model", async () => {
    const other = uniqueSlug("gdpr-other");
    await json(await call(org.ingest, "POST", "/v1/ingest", { model: other, version: "v1", events: [{ prediction_id: pid("b2"), features: { amount: 1 }, prediction: 0 }] }), 200);
    const created = await json(await call(org.admin, "POST", "/v1/erasure", { prediction_ids: [pid("b2")], model: other }), 202);
    const done = await settle(org, created.id);
    expect(done.removed).toMatchObject({ predictions: 1, baseline_events: 1, outcomes: 0 });
    expect(done.target).toMatchObject({ kind: "prediction_ids", count: 1, model: other });
    // The same id under the first model is untouched.
    expect(await monitorText(org.orgId, model, "v1")).toContain(pid("b2"));
    expect(await monitorText(org.orgId, other, "v1")).not.toContain(pid("b2"));
  });

  it("lists requests newest first, a page at a time", async () => {
    const first = await json(await call(org.admin, "GET", "/v1/erasure?limit=2&order=desc"), 200);
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const next = await json(await call(org.admin, "GET", `/v1/erasure?limit=2&order=desc&cursor=${first.next_cursor}`), 200);
    expect(next.items.length).toBeGreaterThan(0);
    expect(next.items[0].id).not.toBe(first.items[1].id);
    expect(Date.parse(first.items[0].requested_at)).toBeGreaterThanOrEqual(Date.parse(next.items[0].requested_at));
    const done = await json(await call(org.admin, "GET", "/v1/erasure?status=done&limit=200"), 200);
    expect(done.items.every((r: any) => r.status === "done")).toBe(true);
  });

  it.each([
    [{}, "subject_id"],
    [{ subject_id: "x", prediction_ids: ["p"] }, "prediction_ids"],
    [{ subject_id: "x".repeat(129) }, "subject_id"],
    [{ prediction_ids: [] }, "prediction_ids"],
    [{ subject_id: "x", extra: 1 }, "extra"],
  ])("refuses %j naming %s", async (body, field) => {
    const res = await call(org.admin, "POST", "/v1/erasure", body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(field);
  });

  it("404 for an unknown model or request, 403 without the admin scope", async () => {
    expect((await call(org.admin, "POST", "/v1/erasure", { subject_id: "x", model: "no-such-model" })).status).toBe(404);
    expect((await call(org.admin, "GET", `/v1/erasure/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call(org.ingest, "POST", "/v1/erasure", { subject_id: "x" })).status).toBe(403);
    expect((await call(org.ingest, "GET", "/v1/erasure")).status).toBe(403);
  });
});

describe("subject_id at ingest", () => {
  it("is validated per record, naming the field", async () => {
    const events = [{ prediction_id: "s1", features: { amount: 1 }, prediction: 1, subject_id: "" }, { prediction_id: "s2", features: { amount: 1 }, prediction: 1, subject_id: 7 }, { prediction_id: "s3", features: { amount: 1 }, prediction: 1, subject_id: "ok" }];
    const ingest = await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events }), 200);
    expect(ingest.accepted).toBe(1);
    expect(ingest.rejected).toEqual([
      { index: 0, field: "subject_id", error: "expected a string of 1 to 128 characters, got 0 characters" },
      { index: 1, field: "subject_id", error: "expected a string of 1 to 128 characters, got number" },
    ]);
    const actuals = await json(await call(org.ingest, "POST", "/v1/actuals", { model, version: "v1", actuals: [{ prediction_id: "s3", actual: 1, subject_id: "y".repeat(129) }] }), 200);
    expect(actuals.rejected).toEqual([{ index: 0, field: "subject_id", error: "expected a string of 1 to 128 characters, got 129 characters" }]);
    const outcomes = await json(await call(org.ingest, "POST", "/v1/outcomes", { model, outcomes: [{ kpi: "k", value: 1, subject_id: ["a"] }] }), 200);
    expect(outcomes.rejected).toEqual([{ index: 0, field: "subject_id", error: "expected a string of 1 to 128 characters, got array" }]);
  });
});
