// A scheduled run end to end, inside workerd against real Postgres: the per-minute cron
// finds the due schedule, claims it once, generates the report over the window before the
// occurrence, records it on the schedule, and delivers it through the alert outbox: a
// signed webhook (verified with the standardwebhooks library) carrying the report's id,
// SHA-256 and a download link that serves those bytes, and a Slack message with the link.
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../alerts/deliver.ts";
import { setOutboundFetch } from "../../alerts/outbound.ts";
import { recordingFetch } from "../../alerts/testing.ts";
import { auditLog, deliveries, reports, reportSchedules, retentionPolicies } from "../../db/schema/index.ts";
import { EVERY_MINUTE, runScheduled } from "../../scheduled/index.ts";
import { testEnv, withDb } from "../../testing/seed.ts";
import { sha256Hex } from "../generate.ts";
import { bearer, ok, request, type Headers } from "../kinds-testing.ts";
import { seedReportOrg, type ReportOrg } from "../testing.ts";
import { claim, runDueSchedules } from "./run.ts";

const MINUTE = 60_000;
const rec = recordingFetch([200]);
let org: ReportOrg;
let writer: Headers;
let hook: { id: string; secret: string };
let slack: string;

beforeAll(async () => {
  setOutboundFetch(rec.fetch);
  org = await seedReportOrg();
  writer = bearer(org.writer);
  hook = await ok(request(writer, "POST", "/v1/channels", { name: "report receiver", kind: "webhook", config: { url: "https://receiver.example.com/reports" } }), 201);
  slack = (await ok(request(writer, "POST", "/v1/channels", { name: "report slack", kind: "slack", config: { url: "https://hooks.slack.com/services/T000/B000/YYYY" } }), 201)).id;
}, 60_000);
afterAll(() => setOutboundFetch(undefined));

/**
 * What the receivers got about this file's reports (the seeded traffic drifts, so alert
 * notifications arrive too). Other test files run at the same time against the same Postgres,
 * and runScheduled runs every schedule that is due, theirs included: only this org's model counts.
 */
const reportRequests = () => rec.requests.filter((r) => (r.body.includes('"report.ready"') || r.body.includes("Vigil report:")) && r.body.includes(org.model));

/** Makes the schedule due at the start of the current minute, as if its time had just come. */
async function makeDue(id: string): Promise<Date> {
  const occurrence = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  await withDb((db) => db.update(reportSchedules).set({ nextRunAt: occurrence }).where(eq(reportSchedules.id, id)));
  return occurrence;
}

describe("a scheduled drift report", () => {
  let schedule: any;
  let occurrence: Date;
  let report: any;

  beforeAll(async () => {
    schedule = await ok(request(writer, "POST", "/v1/report-schedules", { kind: "drift", model: org.model, version: "v1", cron: "*/5 * * * *", format: "json", range: "PT1H", channels: [hook.id, slack] }), 201);
    occurrence = await makeDue(schedule.id);
    await runScheduled(EVERY_MINUTE, testEnv, new Date());
    // The dispatcher was kicked; send whatever it has not sent yet, with the same recording receiver.
    await withDb((db) => deliverDue(db, org.orgId, { fetch: rec.fetch, policy: { allowLocal: false } }));
    const after = await ok(request(writer, "GET", `/v1/report-schedules/${schedule.id}`));
    report = await ok(request(writer, "GET", `/v1/reports/${after.last_report_id}`));
    schedule = after;
  }, 60_000);

  it("generates the report over the hour before the occurrence, linked to the schedule and audited as the schedule", async () => {
    expect(report).toMatchObject({ status: "succeeded", kind: "drift", format: "json", model: org.model, version: "v1", schedule_id: schedule.id, created_by: { type: "system", id: `report-schedule:${schedule.id}` } });
    expect(report.to).toBe(occurrence.toISOString());
    expect(report.from).toBe(new Date(occurrence.getTime() - 60 * MINUTE).toISOString());
    expect((await ok(request(writer, "GET", `/v1/reports?schedule_id=${schedule.id}`))).items.map((r: any) => r.id)).toEqual([report.id]);
    const [entry] = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.targetId, report.id), eq(auditLog.action, "report.generated"))));
    expect(entry).toMatchObject({ actorType: "system", actorId: `report-schedule:${schedule.id}`, details: { schedule_id: schedule.id, sha256: report.sha256 } });
  });

  it("moves the schedule on: last run now, next run the cron's next time, no error", () => {
    expect(schedule.last_error).toBeNull();
    expect(Date.parse(schedule.last_run_at)).toBeGreaterThanOrEqual(occurrence.getTime());
    const next = Date.parse(schedule.next_run_at);
    expect(next).toBeGreaterThan(Date.now() - MINUTE);
    expect(new Date(next).getUTCMinutes() % 5).toBe(0);
  });

  it("delivers a signed webhook with the report's id, SHA-256 and a download link serving those bytes", async () => {
    const sent = reportRequests().filter((r) => r.url === "https://receiver.example.com/reports");
    expect(sent).toHaveLength(1);
    const body = new Webhook(hook.secret).verify(sent[0]!.body, sent[0]!.headers) as any;
    expect(body).toMatchObject({ type: "report.ready", id: `report:${report.id}`, alert: null, report: { id: report.id, kind: "drift", format: "json", sha256: report.sha256, content_sha256: report.content_sha256, schedule: { id: schedule.id, name: schedule.name }, model: org.model, version: "v1", from: report.from, to: report.to } });
    const download = new URL(body.report.download_url);
    expect(download.pathname).toBe(`/v1/reports/${report.id}/download`);
    const res = await request(writer, "GET", download.pathname);
    expect(res.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await res.arrayBuffer()))).toBe(body.report.sha256);
    const rows = await withDb((db) => db.select().from(deliveries).where(and(eq(deliveries.orgId, org.orgId), eq(deliveries.event, "report"))));
    expect(rows.map((d) => [d.event, d.status, d.alertId]).sort()).toEqual([["report", "delivered", null], ["report", "delivered", null]]);
  });

  it("sends Slack a message with the download link", () => {
    const sent = reportRequests().filter((r) => r.url.startsWith("https://hooks.slack.com/"));
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.body);
    expect(body.text).toContain(`drift ${org.model} v1`);
    expect(JSON.stringify(body.blocks)).toContain(`/v1/reports/${report.id}/download`);
    expect(JSON.stringify(body.blocks)).toContain(report.sha256);
  });

  it("runs an occurrence once: a second claim of the same due row fails, and nothing is due after the run", async () => {
    const [row] = await withDb((db) => db.select().from(reportSchedules).where(eq(reportSchedules.id, schedule.id)));
    const stale = { ...row!, nextRunAt: occurrence };
    expect(await withDb((db) => claim(db, stale, new Date()))).toBe(false);
    // Two isolates racing for the same fresh occurrence: exactly one wins.
    const again = await makeDue(schedule.id);
    const fresh = { ...row!, nextRunAt: again };
    const wins = await Promise.all([withDb((db) => claim(db, fresh, new Date())), withDb((db) => claim(db, fresh, new Date()))]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await withDb((db) => runDueSchedules(testEnv, db, new Date()))).filter((o) => o.scheduleId === schedule.id)).toEqual([]);
  });
});

describe("a scheduled run that cannot make its report", () => {
  it("keeps the refusal on the schedule, makes no report and sends nothing", async () => {
    const s = await ok(request(writer, "POST", "/v1/report-schedules", { kind: "drift", model: org.model, version: "v1", cron: "0 6 * * *", format: "pdf", range: "P30D", channels: [hook.id] }), 201);
    await withDb((db) => db.insert(retentionPolicies).values({ orgId: org.orgId, rawEventsDays: 7, labelsDays: 7, aggregatesDays: 10, outcomesDays: 30, deliveriesDays: 30, auditDays: 400, updatedBy: { type: "system", id: "test" } }).onConflictDoNothing());
    await makeDue(s.id);
    const before = reportRequests().length;
    const outcomes = (await withDb((db) => runDueSchedules(testEnv, db, new Date()))).filter((o) => o.scheduleId === s.id);
    expect(outcomes).toEqual([expect.objectContaining({ status: "refused", reportId: null })]);
    const view = await ok(request(writer, "GET", `/v1/report-schedules/${s.id}`));
    expect(view.last_error).toMatch(/^range_out_of_retention: from: .*10-day aggregates retention/);
    expect(view.last_report_id).toBeNull();
    expect(await withDb((db) => db.select().from(reports).where(eq(reports.scheduleId, s.id)))).toEqual([]);
    expect(reportRequests().slice(before).map((r) => `${r.url} ${r.body.slice(0, 300)}`)).toEqual([]);
  });
});
