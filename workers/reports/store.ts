// Report rows: created as `running` when generation starts, finished as `succeeded`
// (with the file's hash and location) or `failed` (with the reason), each finish
// audited in the same transaction. Listing is keyset-paginated, newest first, and shows
// only what the caller may read (visibility.ts).
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { AuditActor } from "../audit/record.ts";
import { recordAudit } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { reports } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { afterCursor, msTime, page } from "../registry/pagination.ts";
import type { AuditAnchor, ReportQuery } from "./document.ts";
import type { StoredFile } from "./files.ts";
import type { ReportViewBody } from "./request.ts";
import { visibleReports } from "./visibility.ts";

export type ReportRow = typeof reports.$inferSelect;

export interface NewReport {
  orgId: string;
  query: ReportQuery;
  projectId: string | null;
  from: Date;
  to: Date;
  scheduleId: string | null;
  createdBy: { type: string; id: string };
  generator: string;
}

export async function insertRunning(db: Queryable, r: NewReport): Promise<ReportRow> {
  const [row] = await db
    .insert(reports)
    .values({
      orgId: r.orgId, kind: r.query.kind, format: r.query.format, status: "running", query: { ...r.query }, projectId: r.projectId, model: r.query.model, version: r.query.version,
      rangeFrom: r.from, rangeTo: r.to, scheduleId: r.scheduleId, createdBy: r.createdBy, generator: r.generator,
    })
    .returning();
  return row!;
}

export interface Finished {
  anchor: AuditAnchor;
  sha256: string;
  contentSha256: string;
  sizeBytes: number;
  contentType: string;
  fileName: string;
  file: StoredFile;
  durationMs: number;
}

/** Marks the report done and appends `report.generated` (file hash, content hash, anchor) to the audit chain, together. */
export async function markSucceeded(db: Queryable, row: ReportRow, actor: AuditActor, f: Finished): Promise<ReportRow> {
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(reports)
      .set({ status: "succeeded", completedAt: new Date(), anchor: f.anchor, sha256: f.sha256, contentSha256: f.contentSha256, sizeBytes: f.sizeBytes, contentType: f.contentType, fileName: f.fileName, storage: f.file.storage, objectKey: f.file.objectKey, durationMs: f.durationMs })
      .where(eq(reports.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: row.orgId, action: "report.generated", targetType: "report", targetId: row.id,
      details: { kind: row.kind, format: row.format, query: row.query, schedule_id: row.scheduleId, sha256: f.sha256, content_sha256: f.contentSha256, size_bytes: f.sizeBytes, audit_anchor: f.anchor, generator: row.generator },
    });
    return done!;
  });
}

export async function markFailed(db: Queryable, row: ReportRow, actor: AuditActor, error: string, durationMs: number): Promise<ReportRow> {
  return db.transaction(async (tx) => {
    const [failed] = await tx.update(reports).set({ status: "failed", completedAt: new Date(), error, durationMs }).where(eq(reports.id, row.id)).returning();
    await recordAudit(tx, actor, { orgId: row.orgId, action: "report.failed", targetType: "report", targetId: row.id, details: { kind: row.kind, format: row.format, query: row.query, schedule_id: row.scheduleId, error } });
    return failed!;
  });
}

/** A request refused while gathering (a 4xx): the row goes, as if it had been refused up front. */
export async function discard(db: Queryable, id: string): Promise<void> {
  await db.delete(reports).where(eq(reports.id, id));
}

export async function getReport(db: Queryable, p: Principal, id: string): Promise<ReportRow> {
  const visible = await visibleReports(db, p);
  const [row] = await db.select().from(reports).where(and(eq(reports.orgId, p.orgId), eq(reports.id, id), visible));
  if (!row) throw new ApiError(404, "not_found", "report not found");
  return row;
}

export interface ListFilter {
  cursor?: string;
  limit: number;
  kind?: string;
  model?: string;
  schedule_id?: string;
}

export async function listReports(db: Queryable, p: Principal, q: ListFilter) {
  const conds: Array<SQL | undefined> = [eq(reports.orgId, p.orgId), await visibleReports(db, p), afterCursor(msTime(reports.createdAt), reports.id, q.cursor, "desc", "timestamptz", "uuid")];
  if (q.kind) conds.push(eq(reports.kind, q.kind));
  if (q.model) conds.push(eq(reports.model, q.model));
  if (q.schedule_id) conds.push(eq(reports.scheduleId, q.schedule_id));
  const rows = await db.select().from(reports).where(and(...conds)).orderBy(desc(msTime(reports.createdAt)), desc(reports.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  return { items: result.items.map(reportView), next_cursor: result.next_cursor };
}

export function reportView(r: ReportRow): ReportViewBody {
  return {
    id: r.id,
    kind: r.kind as ReportViewBody["kind"],
    format: r.format as ReportViewBody["format"],
    status: r.status as ReportViewBody["status"],
    query: r.query,
    project: r.projectId,
    model: r.model,
    version: r.version,
    from: r.rangeFrom.toISOString(),
    to: r.rangeTo.toISOString(),
    schedule_id: r.scheduleId,
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
    generator: r.generator,
    audit_anchor: r.anchor ?? null,
    sha256: r.sha256,
    content_sha256: r.contentSha256,
    size_bytes: r.sizeBytes,
    content_type: r.contentType,
    file_name: r.fileName,
    duration_ms: r.durationMs,
    error: r.error,
    download_url: r.status === "succeeded" ? `/v1/reports/${r.id}/download` : null,
  };
}

