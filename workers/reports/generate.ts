// Generating one report: check the request (scope, range, retention), record it as
// running, anchor it to the audit chain, gather the kind's data, render the format, hash
// and store the bytes, and finish the row with an audit record, all or, on failure, a
// `failed` row with the reason (never an empty file). A refusal found while gathering
// (a 4xx, e.g. too many audit records) removes the row and reaches the caller as is.
import { canonicalJson } from "../audit/hash.ts";
import type { AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { auditAnchor } from "./anchor.ts";
import { REPORT_FORMAT_VERSION, contentOf, type Gathered, type ReportDocument, type ReportFormat, type ReportKind, type ReportQuery } from "./document.ts";
import { reportFilesFor } from "./files.ts";
import type { GatherContext } from "./gather/context.ts";
import { gatherAuditTrail } from "./gather/audit-trail.ts";
import { gatherDrift } from "./gather/drift.ts";
import { gatherGdpr } from "./gather/gdpr.ts";
import { gatherModelRisk } from "./gather/model-risk.ts";
import { gatherPerformance } from "./gather/performance.ts";
import { checkRange, requireRetained, type ReportRange } from "./range.ts";
import { renderHtml } from "./render/html.ts";
import { renderJson } from "./render/json.ts";
import { renderPdf } from "./render/pdf.ts";
import type { ReportRequestBody } from "./request.ts";
import { lastAuditExport, retainedSince, retentionInForce } from "./retention.ts";
import { resolveScope, type ReportScope } from "./scope.ts";
import { discard, insertRunning, markFailed, markSucceeded, type ReportRow } from "./store.ts";
import { logError, redactSecrets } from "../security/log-safe.ts";

const GATHERERS: Record<ReportKind, (ctx: GatherContext) => Promise<Gathered>> = {
  drift: gatherDrift,
  performance: gatherPerformance,
  "model-risk": gatherModelRisk,
  "audit-trail": gatherAuditTrail,
  "gdpr-processing": gatherGdpr,
};

export const CONTENT_TYPES: Record<ReportFormat, string> = { pdf: "application/pdf", html: "text/html; charset=utf-8", json: "application/json" };

export function generatorName(env: Bindings): string {
  return `Vigil ${env.VIGIL_VERSION || "dev"} reports/${REPORT_FORMAT_VERSION}`;
}

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : new Uint8Array(bytes);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fileName(q: ReportQuery): string {
  const part = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");
  const scope = (q.model ? [q.model, q.version] : [q.project]).filter((s): s is string => !!s).map(part);
  const day = (t: string) => t.slice(0, 16).replace(/:/g, "");
  return ["vigil", q.kind, ...scope, day(q.from), day(q.to)].join("_") + `.${q.format}`;
}

/** 422 when the range reaches past what retention kept for the kind's data. */
async function checkRetention(db: Queryable, kind: ReportKind, scope: ReportScope, range: ReportRange, now: number): Promise<void> {
  if (kind === "drift" || kind === "performance") {
    const days = (await retentionInForce(db, scope.orgId, scope.model?.id ?? null)).aggregates_days;
    requireRetained(range, retainedSince(days, now), `monitoring history (${days}-day aggregates retention)`);
  }
  if (kind === "audit-trail") {
    const exported = await lastAuditExport(db, scope.orgId);
    if (exported) requireRetained(range, exported.cutoff, `audit record (older ones were exported as ${exported.id} and dropped)`);
  }
}

export interface GenerateInput {
  db: Queryable;
  env: Bindings;
  principal: Principal;
  actor: AuditActor;
  body: ReportRequestBody;
  scheduleId?: string | null;
  now?: number;
}

/** Checks, generates and stores a report; the row as it ended (succeeded or failed). Throws ApiError for a refused request. */
export async function generateReport(input: GenerateInput): Promise<ReportRow> {
  const { db, env, body } = input;
  const now = input.now ?? Date.now();
  const range = checkRange(body.kind, body.from, body.to, now);
  const scope = await resolveScope(db, input.principal, body);
  await checkRetention(db, body.kind, scope, range, now);
  const query: ReportQuery = { kind: body.kind, format: body.format, project: scope.project?.slug ?? null, model: scope.model?.name ?? null, version: scope.version?.version ?? null, from: range.from.toISOString(), to: range.to.toISOString() };
  const generator = generatorName(env);
  const row = await insertRunning(db, { orgId: scope.orgId, query, projectId: scope.project?.id ?? null, from: range.from, to: range.to, scheduleId: input.scheduleId ?? null, createdBy: { type: input.actor.type, id: input.actor.id }, generator });
  const started = Date.now();
  try {
    const anchor = await auditAnchor(db, scope.orgId);
    const gathered = await GATHERERS[body.kind]({ db, env, scope, range, now, anchor });
    const base: Omit<ReportDocument, "content_sha256"> = { ...gathered, id: row.id, kind: body.kind, generated_at: new Date(now).toISOString(), generator, query, audit_anchor: anchor };
    const doc: ReportDocument = { ...base, content_sha256: await sha256Hex(canonicalJson(contentOf(base))) };
    const json = renderJson(doc);
    const bytes = body.format === "json" ? new TextEncoder().encode(json) : body.format === "html" ? new TextEncoder().encode(renderHtml(doc)) : await renderPdf(doc, new TextEncoder().encode(json));
    const contentType = CONTENT_TYPES[body.format];
    const file = await reportFilesFor(env, db).put(row.id, scope.orgId, bytes, contentType);
    return await markSucceeded(db, row, input.actor, {
      anchor, sha256: await sha256Hex(bytes), contentSha256: doc.content_sha256, sizeBytes: bytes.byteLength, contentType, fileName: fileName(query), file, durationMs: Date.now() - started,
    });
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      await discard(db, row.id);
      throw error;
    }
    logError(`report ${row.id} (${body.kind}) failed`, error);
    // The reason is shown to the caller: the message only (no stack), with anything secret-looking redacted.
    const reason = redactSecrets(error instanceof Error ? error.message : String(error));
    return markFailed(db, row, input.actor, reason.slice(0, 2_000), Date.now() - started);
  }
}
