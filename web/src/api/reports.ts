import type { ApiClient, FetchedFile } from "./client.ts";
import { page, type Page } from "./list.ts";
import { literal, nullable, num, object, record, str, unknownValue, withDefault, type Parser } from "./parse.ts";

// The reports contract of workers/routes/reports.ts and workers/reports/request.ts:
// POST /v1/reports answers when the report is done (201, `succeeded` or `failed` with its
// reason); GET /v1/reports lists newest first in cursor pages; …/download serves the bytes.

export const REPORT_KINDS = ["drift", "performance", "model-risk", "audit-trail", "gdpr-processing"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ["html", "pdf", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const KIND_LABELS: Record<ReportKind, string> = {
  drift: "Drift",
  performance: "Performance",
  "model-risk": "Model risk (SR 11-7)",
  "audit-trail": "Audit trail",
  "gdpr-processing": "GDPR processing record (Art. 30)",
};

/** What scope each kind takes (workers/reports/scope.ts): a version, a model (one version optional), or org / project / model. */
export type ScopeRule = "version" | "model" | "org-project-model";
export const KIND_SCOPE: Record<ReportKind, ScopeRule> = {
  drift: "version",
  performance: "version",
  "model-risk": "model",
  "audit-trail": "org-project-model",
  "gdpr-processing": "org-project-model",
};
/** The compliance kinds need admin on their scope; the server answers 403 otherwise. */
export const isComplianceKind = (k: ReportKind) => KIND_SCOPE[k] === "org-project-model";

/** The longest range per kind (MAX_RANGE_DAYS on the server), so the form can warn before asking. */
export const MAX_RANGE_DAYS: Record<ReportKind, number> = { drift: 31, performance: 31, "model-risk": 366, "audit-trail": 366, "gdpr-processing": 366 };

export type ReportStatus = "running" | "succeeded" | "failed";

export interface Report {
  id: string;
  kind: ReportKind;
  format: ReportFormat;
  status: ReportStatus;
  /** The request as the server accepted it; `project` here is the slug. */
  query: Record<string, unknown>;
  model: string | null;
  version: string | null;
  from: string;
  to: string;
  scheduleId: string | null;
  createdBy: { type: string; id: string };
  createdAt: string;
  completedAt: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  fileName: string | null;
  durationMs: number | null;
  error: string | null;
  downloadUrl: string | null;
}

const parseKind = literal(...REPORT_KINDS);
const parseFormat = literal(...REPORT_FORMATS);

export const parseReport: Parser<Report> = (v, p) => {
  const o = object({
    id: str, kind: parseKind, format: parseFormat, status: literal("running", "succeeded", "failed"), query: withDefault(record(unknownValue), {}),
    model: nullable(str), version: nullable(str), from: str, to: str, schedule_id: withDefault(nullable(str), null), created_by: object({ type: str, id: str }),
    created_at: str, completed_at: withDefault(nullable(str), null), sha256: withDefault(nullable(str), null), size_bytes: withDefault(nullable(num), null),
    file_name: withDefault(nullable(str), null), duration_ms: withDefault(nullable(num), null), error: withDefault(nullable(str), null), download_url: withDefault(nullable(str), null),
  })(v, p);
  return {
    id: o.id, kind: o.kind, format: o.format, status: o.status, query: o.query, model: o.model, version: o.version, from: o.from, to: o.to, scheduleId: o.schedule_id,
    createdBy: o.created_by, createdAt: o.created_at, completedAt: o.completed_at, sha256: o.sha256, sizeBytes: o.size_bytes, fileName: o.file_name,
    durationMs: o.duration_ms, error: o.error, downloadUrl: o.download_url,
  };
};

/** What a report is about, in words: "loans v1", "model loans (all versions)", "project risk", "the whole org". */
export function describeScope(r: { kind: ReportKind; model: string | null; version: string | null; project?: string | null }): string {
  if (r.model && r.version) return `${r.model} ${r.version}`;
  if (r.model) return r.kind === "model-risk" ? `${r.model} (all versions)` : `model ${r.model}`;
  if (r.project) return `project ${r.project}`;
  return "the whole org";
}

export const projectOf = (r: Report): string | null => (typeof r.query.project === "string" && !r.model ? r.query.project : null);

export interface ReportRequest {
  kind: ReportKind;
  model?: string;
  version?: string;
  project?: string;
  from: string;
  to: string;
  format: ReportFormat;
}

const enc = encodeURIComponent;

/** Generates a report; resolves when it is done (the server answers 201 `succeeded` or `failed`). */
export function createReport(api: ApiClient, body: ReportRequest): Promise<Report> {
  return api.send("POST", "/v1/reports", body, parseReport);
}

export function listReports(api: ApiClient, query: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal): Promise<Page<Report>> {
  const q = new URLSearchParams({ limit: String(query.limit ?? 25) });
  if (query.cursor) q.set("cursor", query.cursor);
  return api.get(`/v1/reports?${q}`, page(parseReport, "items"), signal);
}

export function getReport(api: ApiClient, id: string, signal?: AbortSignal): Promise<Report> {
  return api.get(`/v1/reports/${enc(id)}`, parseReport, signal);
}

/** The report's bytes with the caller's credentials (a pasted key cannot ride on a plain link). `inline` asks for an inline disposition, for previews. */
export function fetchReportFile(api: ApiClient, r: Pick<Report, "id">, opts: { inline?: boolean; signal?: AbortSignal } = {}): Promise<FetchedFile> {
  return api.file(`/v1/reports/${enc(r.id)}/download${opts.inline ? "?inline=1" : ""}`, opts.signal);
}

/** Hex SHA-256 of bytes, to check a download against the report's `sha256`; null where WebCrypto is unavailable (an insecure origin). */
export async function sha256Hex(blob: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface Project {
  id: string;
  slug: string;
  name: string;
}

export function listProjects(api: ApiClient, signal?: AbortSignal): Promise<Project[]> {
  return api.get("/v1/projects?limit=200", page(object({ id: str, slug: str, name: str }), "items"), signal).then((p) => p.items);
}
