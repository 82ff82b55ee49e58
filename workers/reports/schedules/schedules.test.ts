// Report schedules through the real Worker and Postgres: create, read, list, change and
// delete with their audit records; the default range per cron; next_run_at; and bad
// input (cron, range, channels, scope, reach) answered 4xx naming the field.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, channels } from "../../db/schema/index.ts";
import { withDb } from "../../testing/seed.ts";
import { nextRun, parseCron } from "../cron.ts";
import { bearer, ok, request, type Headers } from "../kinds-testing.ts";
import { seedReportOrg, type ReportOrg } from "../testing.ts";

let org: ReportOrg;
let writer: Headers;
let admin: Headers;
let hook: string;
let slack: string;
let retrain: string;

beforeAll(async () => {
  org = await seedReportOrg();
  writer = bearer(org.writer);
  admin = bearer(org.admin);
  hook = (await ok(request(writer, "POST", "/v1/channels", { name: "reports hook", kind: "webhook", config: { url: "https://receiver.example.com/reports" } }), 201)).id;
  slack = (await ok(request(writer, "POST", "/v1/channels", { name: "reports slack", kind: "slack", config: { url: "https://hooks.slack.com/services/T000/B000/XXXX" } }), 201)).id;
  retrain = (await ok(request(writer, "POST", "/v1/channels", { name: "retrain", kind: "retrain", config: { url: "https://ci.example.com/retrain" } }), 201)).id;
}, 60_000);

const weekly = () => ({ kind: "drift", model: org.model, version: "v1", cron: "0 7 * * 1", format: "pdf", channels: [hook, slack] });

describe("creating and reading", () => {
  it("creates a weekly drift schedule: 201, a week's range by default, the next Monday 07:00 UTC, audited", async () => {
    const before = Date.now();
    const s = await ok(request(writer, "POST", "/v1/report-schedules", weekly()), 201);
    expect(s).toMatchObject({ kind: "drift", model: org.model, version: "v1", project: null, cron: "0 7 * * 1", format: "pdf", channels: [hook, slack], range: "P7D", range_hours: 168, enabled: true, last_run_at: null, last_report_id: null, last_error: null });
    expect(s.name).toBe(`drift ${org.model} v1 (0 7 * * 1)`);
    const expected = nextRun(parseCron("0 7 * * 1"), new Date(before))!;
    expect(s.next_run_at).toBe(expected.toISOString());
    expect(new Date(s.next_run_at).getUTCDay()).toBe(1);
    expect(await ok(request(writer, "GET", `/v1/report-schedules/${s.id}`))).toEqual(s);
    const [entry] = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.targetId, s.id))));
    expect(entry).toMatchObject({ action: "report_schedule.create", targetType: "report_schedule", details: { after: { cron: "0 7 * * 1", kind: "drift", range_hours: 168, channels: [hook, slack] } } });
  });

  it("takes the range asked for, and defaults a daily cron to a day and an hourly one to an hour", async () => {
    expect((await ok(request(writer, "POST", "/v1/report-schedules", { ...weekly(), range: "P1DT12H" }), 201)).range_hours).toBe(36);
    expect((await ok(request(writer, "POST", "/v1/report-schedules", { ...weekly(), cron: "30 6 * * *" }), 201)).range).toBe("P1D");
    expect((await ok(request(writer, "POST", "/v1/report-schedules", { ...weekly(), cron: "*/10 * * * *" }), 201)).range).toBe("PT1H");
    // A monthly drift schedule would cover a month, capped at the 31 days a drift report may span.
    expect((await ok(request(writer, "POST", "/v1/report-schedules", { ...weekly(), cron: "0 0 1 * *" }), 201)).range_hours).toBe(31 * 24);
  });

  it("schedules an org-wide or project compliance report for an admin, and shows the project by slug", async () => {
    const s = await ok(request(admin, "POST", "/v1/report-schedules", { kind: "audit-trail", project: "default", cron: "0 3 1 * *", format: "json", channels: [hook], range: "P31D" }), 201);
    expect(s).toMatchObject({ kind: "audit-trail", project: "default", model: null, range: "P31D" });
    expect((await ok(request(writer, "POST", "/v1/report-schedules", { kind: "gdpr-processing", cron: "0 3 1 * *", format: "json", channels: [] }), 403)).error.code).toBe("forbidden");
  });

  it("lists what the caller may see, newest first, filtered by kind and model", async () => {
    const page = await ok(request(writer, "GET", `/v1/report-schedules?kind=drift&model=${org.model}&limit=2`));
    expect(page.items).toHaveLength(2);
    expect(page.items.every((s: any) => s.kind === "drift" && s.model === org.model)).toBe(true);
    expect(page.next_cursor).toEqual(expect.any(String));
    const rest = await ok(request(writer, "GET", `/v1/report-schedules?kind=drift&cursor=${page.next_cursor}`));
    expect(rest.items.map((s: any) => s.id)).not.toContain(page.items[0].id);
    // The writer is not admin: compliance schedules are not shown to it.
    expect((await ok(request(writer, "GET", "/v1/report-schedules?limit=200"))).items.some((s: any) => s.kind === "audit-trail")).toBe(false);
    expect((await ok(request(admin, "GET", "/v1/report-schedules?limit=200"))).items.some((s: any) => s.kind === "audit-trail")).toBe(true);
    // A key limited to another project sees none of them, and gets 404 for one.
    expect((await ok(request(bearer(org.outsider), "GET", "/v1/report-schedules"))).items).toEqual([]);
    expect((await ok(request(bearer(org.outsider), "GET", `/v1/report-schedules/${page.items[0].id}`), 404)).error.code).toBe("not_found");
  });
});

describe("changing and deleting", () => {
  it("PATCH re-times on a new cron, pauses and resumes, keeps the rest; each change audited with before and after", async () => {
    const s = await ok(request(writer, "POST", "/v1/report-schedules", weekly()), 201);
    const daily = await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { cron: "0 6 * * *", format: "html" }));
    expect(daily).toMatchObject({ cron: "0 6 * * *", format: "html", range: "P1D", channels: [hook, slack], model: org.model });
    expect(new Date(daily.next_run_at).getUTCHours()).toBe(6);
    const paused = await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { enabled: false, channels: [hook] }));
    expect(paused).toMatchObject({ enabled: false, next_run_at: null, channels: [hook] });
    const resumed = await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { enabled: true, range: "PT12H" }));
    expect(resumed).toMatchObject({ enabled: true, range: "PT12H", next_run_at: daily.next_run_at });
    const entries = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.targetId, s.id), eq(auditLog.action, "report_schedule.update"))));
    expect(entries.map((e) => [(e.details as any).before.enabled, (e.details as any).after.enabled])).toEqual([[true, true], [true, false], [false, true]]);
    expect((entries[0]!.details as any).before.cron).toBe("0 7 * * 1");
    expect((entries[0]!.details as any).after.cron).toBe("0 6 * * *");
  });

  it("PATCH checks the merged schedule as create does", async () => {
    const s = await ok(request(writer, "POST", "/v1/report-schedules", weekly()), 201);
    expect((await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { cron: "0 25 * * *" }), 400)).error.details).toEqual([{ field: "cron", error: "hour: 25 is out of range 0-23" }]);
    expect((await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { version: null }), 400)).error.details[0].field).toBe("version");
    expect((await ok(request(writer, "PATCH", `/v1/report-schedules/${s.id}`, { kind: "model-risk", version: null }))).kind).toBe("model-risk");
  });

  it("DELETE removes it (204, audited); a second DELETE is 404", async () => {
    const s = await ok(request(writer, "POST", "/v1/report-schedules", weekly()), 201);
    expect((await request(bearer(org.outsider), "DELETE", `/v1/report-schedules/${s.id}`)).status).toBe(403);
    expect((await request(writer, "DELETE", `/v1/report-schedules/${s.id}`)).status).toBe(204);
    expect((await request(writer, "DELETE", `/v1/report-schedules/${s.id}`)).status).toBe(404);
    expect((await request(writer, "GET", `/v1/report-schedules/${s.id}`)).status).toBe(404);
    const [entry] = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.targetId, s.id), eq(auditLog.action, "report_schedule.delete"))));
    expect(entry!.details).toMatchObject({ before: { cron: "0 7 * * 1", model: org.model } });
  });
});

describe("bad input", () => {
  const refuse = async (body: Record<string, unknown>, status = 400, who = writer) => (await ok(request(who, "POST", "/v1/report-schedules", body), status)).error;

  it("a bad cron: 400 naming cron with the problem", async () => {
    expect((await refuse({ ...weekly(), cron: "0 7 * *" })).details).toEqual([{ field: "cron", error: "needs 5 fields (minute hour day-of-month month day-of-week), has 4" }]);
    expect((await refuse({ ...weekly(), cron: "61 7 * * 1" })).details).toEqual([{ field: "cron", error: "minute: 61 is out of range 0-59" }]);
    expect((await refuse({ ...weekly(), cron: "0 7 * * 1/0" })).details[0]).toMatchObject({ field: "cron", error: expect.stringContaining("step") });
    expect((await refuse({ ...weekly(), cron: "0 0 31 2 *" })).details[0]).toMatchObject({ field: "cron", error: expect.stringContaining("never matches") });
    expect((await refuse({ ...weekly(), cron: "" })).details[0].field).toBe("cron");
  });

  it("a bad range: 400 naming range", async () => {
    expect((await refuse({ ...weekly(), range: "P1M" })).details[0]).toMatchObject({ field: "range", error: expect.stringContaining("months") });
    expect((await refuse({ ...weekly(), range: "seven days" })).details[0]).toMatchObject({ field: "range", error: expect.stringContaining("ISO 8601") });
    expect((await refuse({ ...weekly(), range: "PT0H" })).details[0]).toMatchObject({ field: "range", error: "must be at least one hour" });
    expect((await refuse({ ...weekly(), range: "P32D" })).details[0]).toMatchObject({ field: "range", error: expect.stringContaining("at most 31 days") });
  });

  it("channels: unknown, of another org, deleted, or unable to take a report: 400 naming channels.i", async () => {
    const unknown = crypto.randomUUID();
    expect((await refuse({ ...weekly(), channels: [hook, unknown] })).details).toEqual([{ field: "channels.1", error: `no channel ${unknown} in this org` }]);
    expect((await refuse({ ...weekly(), channels: [retrain] })).details[0]).toMatchObject({ field: "channels.0", error: expect.stringContaining("retrain channel cannot receive reports") });
    expect((await refuse({ ...weekly(), channels: ["not-a-uuid"] })).details[0].field).toBe("channels.0");
    const gone = (await ok(request(writer, "POST", "/v1/channels", { name: "gone", kind: "webhook", config: { url: "https://receiver.example.com/gone" } }), 201)).id;
    await withDb((db) => db.update(channels).set({ deletedAt: new Date() }).where(eq(channels.id, gone)));
    expect((await refuse({ ...weekly(), channels: [gone] })).details[0].field).toBe("channels.0");
  });

  it("scope: as POST /v1/reports (fields per kind, 404 for a model the caller cannot see, write needed)", async () => {
    const { version: _, ...noVersion } = weekly();
    expect((await refuse(noVersion)).details).toEqual([{ field: "version", error: "is required for a drift report" }]);
    expect((await refuse({ ...weekly(), project: "default" })).details[0].field).toBe("project");
    expect((await refuse({ ...weekly(), model: "no-such-model" }, 404)).code).toBe("not_found");
    expect((await refuse(weekly(), 403, bearer(org.outsider))).code).toBe("forbidden");
    expect((await refuse({ ...weekly(), kind: "weekly" })).details[0].field).toBe("kind");
    expect((await refuse({ ...weekly(), colour: "red" })).message).toContain("colour");
  });
});
