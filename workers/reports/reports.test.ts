// Reports through the real Worker, Durable Objects and Postgres: a drift report in each
// format from a version with a baseline and shifted traffic, what it embeds (audit
// anchor, hashes, query), its audit record, downloads, visibility, and bad input.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../db/schema/index.ts";
import { withDb } from "../testing/seed.ts";
import { sha256Hex } from "./generate.ts";
import { call, json, seedReportOrg, type ReportOrg } from "./testing.ts";

let org: ReportOrg;
const HOUR = 3_600_000;
const range = () => ({ from: new Date(Date.now() - HOUR).toISOString(), to: new Date().toISOString() });

beforeAll(async () => {
  org = await seedReportOrg();
});

async function create(body: Record<string, unknown>, key = org.writer) {
  return json(await call(key, "POST", "/v1/reports", body), 201);
}

async function download(id: string, key = org.writer): Promise<{ res: Response; bytes: Uint8Array }> {
  const res = await call(key, "GET", `/v1/reports/${id}/download`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes };
}

describe("a drift report as JSON", () => {
  let report: any;
  let body: any;

  beforeAll(async () => {
    report = await create({ kind: "drift", model: org.model, version: "v1", format: "json", ...range() });
    const { res, bytes } = await download(report.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="vigil_drift_${org.model}_v1_.*\\.json"$`));
    expect(res.headers.get("x-content-sha256")).toBe(report.sha256);
    expect(await sha256Hex(bytes)).toBe(report.sha256);
    body = JSON.parse(new TextDecoder().decode(bytes));
  });

  it("succeeds with its hashes, size and download link", () => {
    expect(report).toMatchObject({ kind: "drift", format: "json", status: "succeeded", model: org.model, version: "v1", error: null, download_url: `/v1/reports/${report.id}/download` });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.generator).toMatch(/^Vigil .+ reports\/1$/);
  });

  it("judges the shifted feature drifted and the unchanged one not, over the whole range", () => {
    const amount = body.data.features.find((f: any) => f.feature === "amount");
    const city = body.data.features.find((f: any) => f.feature === "city");
    expect(amount.range).toMatchObject({ method: "wasserstein_normed", direction: "distance", drifted: true, count: 1_500 });
    expect(amount.range.score).toBeGreaterThan(1);
    expect(city.range).toMatchObject({ method: "chi_square_two_sample", direction: "p_value", drifted: false, count: 1_500 });
    expect(body.data.dataset).toMatchObject({ source: "range", scored_features: 2, drifted_features: 1, drift_share: 0.5, drifted: true });
    // The reference histogram is the baseline's; the current one puts most mass past its upper edges.
    expect(amount.distribution.reference.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
    expect(amount.distribution.current.at(-1)).toBeGreaterThan(0.5);
    expect(city.distribution.categories).toEqual(expect.arrayContaining(["north", "south", "east", "west", "__other__"]));
  });

  it("carries the sampled history the monitor wrote", () => {
    expect(body.data.over_time.window).toBe("1h");
    expect(body.data.over_time.points.length).toBeGreaterThanOrEqual(1);
    const amount = body.data.features.find((f: any) => f.feature === "amount");
    expect(amount.history.samples).toBeGreaterThanOrEqual(1);
  });

  it("embeds the exact query, the generator and the audit anchor of a verified chain", async () => {
    expect(body).toMatchObject({ format: "vigil.report", format_version: 1, id: report.id, kind: "drift", generator: report.generator, content_sha256: report.content_sha256 });
    expect(body.query).toEqual({ kind: "drift", format: "json", project: "default", model: org.model, version: "v1", from: report.from, to: report.to });
    expect(body.audit_anchor).toEqual(report.audit_anchor);
    expect(body.audit_anchor.chain_ok).toBe(true);
    await withDb(async (db) => {
      const [anchor] = await db.select().from(auditLog).where(eq(auditLog.id, body.audit_anchor.record_id));
      expect(anchor!.hash).toBe(body.audit_anchor.last_hash);
      expect(anchor!.orgId).toBe(org.orgId);
    });
  });

  it("is itself audited, with the file's SHA-256", async () => {
    await withDb(async (db) => {
      const rows = await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.targetId, report.id)));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: "report.generated", targetType: "report", actorType: "api_key" });
      expect(rows[0]!.details).toMatchObject({ sha256: report.sha256, content_sha256: report.content_sha256, kind: "drift", format: "json" });
      expect(rows[0]!.id).toBeGreaterThan(body.audit_anchor.record_id);
    });
  });
});

describe("a drift report as HTML and as PDF", () => {
  it("HTML: one self-contained file with inline SVG, no script and nothing fetched", async () => {
    const report = await create({ kind: "drift", model: org.model, version: "v1", format: "html", ...range() });
    const { res, bytes } = await download(report.id);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = new TextDecoder().decode(bytes);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<svg");
    expect(html).toContain(report.content_sha256);
    expect(html).toContain(report.audit_anchor.last_hash);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).toMatch(/amount[^<]*<\/figcaption>|amount <span class="bad">/);
  });

  it("PDF: a PDF document with the JSON attached, under 2 MB", async () => {
    const report = await create({ kind: "drift", model: org.model, version: "v1", format: "pdf", ...range() });
    expect(report.status).toBe("succeeded");
    const { res, bytes } = await download(report.id);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(new TextDecoder("latin1").decode(bytes.slice(-1024))).toContain("%%EOF");
    expect(bytes.byteLength).toBeLessThan(2 * 1024 * 1024);
    expect(await sha256Hex(bytes)).toBe(report.sha256);
  });
});

describe("listing and reading", () => {
  it("lists the caller's reports newest first and reads one", async () => {
    const page = await json(await call(org.writer, "GET", `/v1/reports?kind=drift&limit=2`), 200);
    expect(page.items.length).toBe(2);
    expect(page.next_cursor).toEqual(expect.any(String));
    expect(Date.parse(page.items[0].created_at)).toBeGreaterThanOrEqual(Date.parse(page.items[1].created_at));
    const next = await json(await call(org.writer, "GET", `/v1/reports?kind=drift&limit=2&cursor=${page.next_cursor}`), 200);
    expect(next.items.map((r: any) => r.id)).not.toContain(page.items[0].id);
    const one = await json(await call(org.writer, "GET", `/v1/reports/${page.items[0].id}`), 200);
    expect(one).toEqual(page.items[0]);
  });

  it("hides reports of other projects from a key limited to one (404, not listed)", async () => {
    const report = await create({ kind: "drift", model: org.model, version: "v1", format: "json", ...range() });
    expect((await call(org.outsider, "GET", `/v1/reports/${report.id}`)).status).toBe(404);
    expect((await call(org.outsider, "GET", `/v1/reports/${report.id}/download`)).status).toBe(404);
    const page = await json(await call(org.outsider, "GET", `/v1/reports`), 200);
    expect(page.items).toEqual([]);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    expect((await call(org.writer, "GET", `/v1/reports/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call(org.writer, "GET", `/v1/reports/not-an-id/download`)).status).toBe(404);
  });
});

describe("bad input", () => {
  const base = () => ({ kind: "drift", model: org.model, version: "v1", format: "pdf", ...range() });
  const refuse = async (body: Record<string, unknown>, status: number, key = org.writer) => json(await call(key, "POST", "/v1/reports", body), status);

  it("`to` before `from`, or an empty range: 400 naming `to`", async () => {
    const b = base();
    const e = await refuse({ ...b, from: b.to, to: b.from }, 400);
    expect(e.error).toMatchObject({ code: "validation_failed", details: [{ field: "to", error: "is before from" }] });
    expect((await refuse({ ...b, from: b.to }, 400)).error.details[0].field).toBe("to");
  });

  it("a range in the future: 400 naming `to`", async () => {
    const e = await refuse({ ...base(), to: new Date(Date.now() + 2 * HOUR).toISOString() }, 400);
    expect(e.error.details[0]).toMatchObject({ field: "to", error: expect.stringContaining("future") });
  });

  it("a huge range: 422 range_too_large with the limit", async () => {
    const e = await refuse({ ...base(), from: new Date(Date.now() - 40 * 24 * HOUR).toISOString() }, 422);
    expect(e.error).toMatchObject({ code: "range_too_large", details: [{ field: "from", error: expect.stringContaining("at most 31 days") }] });
  });

  it("a range past the aggregates retention: 422 range_out_of_retention", async () => {
    const e = await refuse({ kind: "model-risk", model: org.model, format: "json", from: new Date(Date.now() - 300 * 24 * HOUR).toISOString(), to: new Date().toISOString() }, 201).catch((x) => x);
    // model-risk reads change records, kept longer: no retention refusal there …
    expect(e).toBeDefined();
    await withDb(async (db) => {
      const { retentionPolicies } = await import("../db/schema/index.ts");
      await db.insert(retentionPolicies).values({ orgId: org.orgId, rawEventsDays: 7, labelsDays: 7, aggregatesDays: 10, outcomesDays: 30, deliveriesDays: 30, auditDays: 400, updatedBy: { type: "system", id: "test" } }).onConflictDoNothing();
    });
    // … but a drift report reaches into the monitoring history, kept 10 days here.
    const refused = await refuse({ ...base(), from: new Date(Date.now() - 20 * 24 * HOUR).toISOString() }, 422);
    expect(refused.error).toMatchObject({ code: "range_out_of_retention", details: [{ field: "from" }] });
    expect(refused.error.message).toContain("10-day aggregates retention");
  });

  it("unknown kind and format, unknown fields: 400 naming them", async () => {
    expect((await refuse({ ...base(), kind: "summary" }, 400)).error.details[0].field).toBe("kind");
    expect((await refuse({ ...base(), format: "docx" }, 400)).error.details[0].field).toBe("format");
    expect((await refuse({ ...base(), colour: "red" }, 400)).error.message).toContain("colour");
  });

  it("a drift report without a version, or a project on a model kind: 400", async () => {
    const { version: _, ...noVersion } = base();
    expect((await refuse(noVersion, 400)).error.details).toEqual([{ field: "version", error: "is required for a drift report" }]);
    expect((await refuse({ ...base(), project: "default" }, 400)).error.details[0].field).toBe("project");
  });

  it("a model the caller cannot read, or that does not exist: 404 alike", async () => {
    const hidden = await refuse(base(), 404, org.outsider);
    const missing = await refuse({ ...base(), model: "no-such-model" }, 404);
    expect(hidden.error.code).toBe("not_found");
    expect(missing.error.code).toBe("not_found");
    expect(await refuse({ ...base(), version: "v9" }, 404)).toMatchObject({ error: { code: "not_found" } });
  });

  it("compliance kinds need admin: 403 for a read/write key over the org", async () => {
    const e = await refuse({ kind: "audit-trail", format: "json", ...range() }, 403);
    expect(e.error.code).toBe("forbidden");
  });
});
