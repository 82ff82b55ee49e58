// The reports API's contract: the request body (POST /v1/reports), the report as the API
// shows it, and the limits a request is checked against. Routes import these; the
// OpenAPI document is generated from them.
import { z } from "@hono/zod-openapi";
import { REPORT_FORMATS, REPORT_KINDS, type ReportKind } from "./document.ts";

/** The longest range per kind: drift and performance read hourly history and monitor sketches; the others read change records. */
export const MAX_RANGE_DAYS: Readonly<Record<ReportKind, number>> = {
  drift: 31,
  performance: 31,
  "model-risk": 366,
  "audit-trail": 366,
  "gdpr-processing": 366,
};

/** An audit-trail report lists every record; past this many it is refused (422 `too_many_records`) rather than cut. */
export const MAX_AUDIT_RECORDS = 20_000;

/** How far past the server's clock `to` may lie (client clock skew). */
export const CLOCK_SKEW_MS = 60_000;

const Time = z.iso.datetime({ offset: true }).openapi({ description: "ISO 8601 with offset", example: "2026-11-30T00:00:00Z" });

export const ReportRequest = z
  .object({
    kind: z.enum(REPORT_KINDS).openapi({ description: "drift and performance need `model` and `version`; model-risk needs `model`; audit-trail and gdpr-processing take the org (nothing), a `project` or a `model`" }),
    project: z.string().min(1).max(63).optional().openapi({ description: "project slug (audit-trail, gdpr-processing)" }),
    model: z.string().min(1).max(128).optional(),
    version: z.string().min(1).max(128).optional(),
    from: Time,
    to: Time,
    format: z.enum(REPORT_FORMATS),
  })
  .strict()
  .openapi("ReportRequest");
export type ReportRequestBody = z.infer<typeof ReportRequest>;

export const ReportStatus = z.enum(["running", "succeeded", "failed"]);

export const ReportView = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(REPORT_KINDS),
    format: z.enum(REPORT_FORMATS),
    status: ReportStatus,
    query: z.record(z.string(), z.unknown()).openapi({ description: "The request as accepted; embedded in the report" }),
    project: z.string().nullable().openapi({ description: "project id" }),
    model: z.string().nullable(),
    version: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    schedule_id: z.string().nullable(),
    created_by: z.object({ type: z.string(), id: z.string() }),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    generator: z.string(),
    audit_anchor: z
      .object({ last_hash: z.string(), record_id: z.number().int().nullable(), chain_ok: z.boolean(), checked: z.number().int() })
      .nullable()
      .openapi({ description: "The org's audit chain as GET /v1/audit/verify reported it when generation started" }),
    sha256: z.string().nullable().openapi({ description: "SHA-256 of the file's bytes (hex); also in the `report.generated` audit record" }),
    content_sha256: z.string().nullable().openapi({ description: "SHA-256 of the canonical JSON of the report's content, printed inside the file" }),
    size_bytes: z.number().int().nullable(),
    content_type: z.string().nullable(),
    file_name: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    error: z.string().nullable().openapi({ description: "Why generation failed (status `failed`); such a report has no file" }),
    download_url: z.string().nullable(),
  })
  .openapi("Report");
export type ReportViewBody = z.infer<typeof ReportView>;

export const ReportListQuery = z.object({
  cursor: z.string().optional().openapi({ description: "`next_cursor` from the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  kind: z.enum(REPORT_KINDS).optional(),
  model: z.string().optional(),
  schedule_id: z.string().uuid().optional(),
});
