// Reports (workers/reports/): POST /v1/reports generates one (drift, performance,
// model-risk, audit-trail, gdpr-processing; PDF, HTML or JSON) and answers when it is
// done; GET lists them and reads one; …/download returns the file. Who may see which
// report: workers/reports/visibility.ts.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { IdParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { filesHolding } from "../reports/files.ts";
import { generateReport } from "../reports/generate.ts";
import { MAX_AUDIT_RECORDS, MAX_RANGE_DAYS, ReportListQuery, ReportRequest, ReportView } from "../reports/request.ts";
import { getReport, listReports, reportView } from "../reports/store.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["reports"];
const isUuid = (id: string) => z.string().uuid().safeParse(id).success;

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Generate a report",
  description:
    "Kinds: `drift` (one model version against its active baseline: dataset verdict, per-feature test, score, threshold and decision over the range, distributions, drift over time), " +
    "`performance` (metrics over time with labels, confusion matrix or regression errors, label coverage and delay), `model-risk` (SR 11-7 summary of a model: identity, versions and stages, " +
    "baselines, thresholds, alerts with their notes, drift and performance, approvals and signatures), `audit-trail` (every change in the range with actor, before/after, reason, signatures and " +
    "the chain verification) and `gdpr-processing` (the Art. 30 record: personal data, `pii`-tagged features, retention in force, erasure requests and certificates). " +
    "Every report embeds the audit chain anchor at generation (`last_hash` and its record id), its content SHA-256, the generator and the exact query; generating one appends " +
    "`report.generated` (or `report.failed`) to the audit log with the file's SHA-256. The reply comes when the report is done: `status` is `succeeded`, or `failed` with `error` " +
    `(no file). Ranges: at most ${Object.entries(MAX_RANGE_DAYS).map(([k, d]) => `${d} days for ${k}`).join(", ")}. ` +
    "drift, performance and model-risk need read on the model; audit-trail and gdpr-processing need admin on their scope (the org, a project or a model).",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { body: jsonBody(ReportRequest) },
  responses: {
    201: jsonResponse(ReportView, "The report, finished: `succeeded` with its hashes and download URL, or `failed` with the reason"),
    ...authErrors,
    ...describedErrors({
      404: "A model, version or project the caller cannot see, or that does not exist",
      422: `A range longer than the kind allows (\`range_too_large\`), starting before what retention kept (\`range_out_of_retention\`), or an audit trail of more than ${MAX_AUDIT_RECORDS.toLocaleString("en-US")} records (\`too_many_records\`)`,
    }),
  },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List reports, newest first",
  description: "Only reports the caller may read: those of models it can read, and compliance reports (audit-trail, gdpr-processing) where it is admin.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: ReportListQuery },
  responses: { 200: jsonResponse(pageOf(ReportView).openapi("ReportPage"), "A page of reports"), ...authErrors },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A report: status, query, audit anchor, hashes",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(ReportView, "The report"), ...authErrors, ...errorResponses(404) },
});

const download = createRoute({
  method: "get",
  path: "/{id}/download",
  tags,
  summary: "The report's file",
  description: "The bytes as generated, with `Content-Type` (`application/pdf`, `text/html`, `application/json`), a `Content-Disposition` attachment file name (`?inline=1` for inline, e.g. to preview HTML) and `X-Content-SHA256` (the file's SHA-256, as in the report and its audit record).",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams, query: z.object({ inline: z.enum(["0", "1"]).optional() }) },
  responses: {
    200: {
      description: "The file",
      content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) }, "text/html": { schema: z.string() }, "application/json": { schema: z.unknown() } },
    },
    ...authErrors,
    ...describedErrors({ 404: "No such report, or none the caller may read", 409: "The report has no file: it is still running or failed (`report_not_ready`, `details.status`)" }),
  },
});

export const reportRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const row = await generateReport({ db: c.var.db(), env: c.env, principal: principalOf(c), actor: actorOf(c), body: c.req.valid("json") });
    return c.json(reportView(row), 201);
  })
  .openapi(list, async (c) => c.json(await listReports(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    if (!isUuid(id)) throw new ApiError(404, "not_found", "report not found");
    return c.json(reportView(await getReport(c.var.db(), principalOf(c), id)), 200);
  })
  .openapi(download, async (c) => {
    const { id } = c.req.valid("param");
    if (!isUuid(id)) throw new ApiError(404, "not_found", "report not found");
    const db = c.var.db();
    const row = await getReport(db, principalOf(c), id);
    if (row.status !== "succeeded" || !row.storage) throw new ApiError(409, "report_not_ready", `report ${id} has no file: it ${row.status === "failed" ? `failed (${row.error ?? "no reason recorded"})` : "is still running"}`, { status: row.status });
    const bytes = await filesHolding(c.env, db, { storage: row.storage as "postgres" | "r2", objectKey: row.objectKey }).get(row.id, { storage: row.storage as "postgres" | "r2", objectKey: row.objectKey });
    if (!bytes) throw new ApiError(500, "report_file_missing", `report ${id}'s file is missing from ${row.storage}`);
    const disposition = c.req.valid("query").inline === "1" ? "inline" : "attachment";
    const headers = {
      "content-type": row.contentType ?? "application/octet-stream",
      "content-disposition": `${disposition}; filename="${row.fileName ?? `${row.id}.${row.format}`}"`,
      "x-content-sha256": row.sha256 ?? "",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      // A previewed HTML report runs nothing and fetches nothing: say so to the browser too.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    };
    const res = new Response(new Uint8Array(bytes), { status: 200, headers });
    // The route documents these content types, but hono's typed handler only models JSON bodies.
    return res as unknown as ReturnType<typeof c.json<unknown, 200>>;
  });
