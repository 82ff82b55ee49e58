// Reading the audit log: filtered, keyset-paged by id, for the org's admins (the route
// checks that the caller reaches the whole org first).
import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { auditLog } from "../db/schema/index.ts";
import { decodeCursor, encodeCursor } from "../registry/pagination.ts";

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
    action: z.string().openapi({ example: "model_version.stage" }),
    target: z.object({ type: z.string(), id: z.string() }),
    details: z.record(z.string(), z.unknown()).openapi({ description: "before/after, note, request_id, ip" }),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

export const AuditQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  order: z.enum(["asc", "desc"]).default("desc"),
  action: z.string().optional().openapi({ description: "exact action, or a prefix ending in `.` (e.g. `api_key.`)" }),
  actor: z.string().optional().openapi({ description: "actor id (key prefix, user email, system name)" }),
  target_type: z.string().optional(),
  target_id: z.string().optional(),
  since: z.string().datetime({ offset: true }).optional(),
  until: z.string().datetime({ offset: true }).optional(),
  format: z.enum(["json", "jsonl"]).default("json").openapi({ description: "`jsonl`: JSON Lines export (application/x-ndjson), one entry a line, next cursor in `X-Next-Cursor`" }),
});

export const ChainReport = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    last_hash: z.string(),
    first_broken: z.object({ id: z.number().int(), reason: z.enum(["prev_hash_mismatch", "hash_mismatch"]), expected: z.string(), actual: z.string() }).nullable(),
    starts_after: z
      .object({ export_id: z.string(), last_id: z.number().int(), last_hash: z.string() })
      .nullable()
      .openapi({ description: "Once retention exported and dropped a prefix of the chain: its last record, whose hash the kept chain starts from (GET /v1/audit/exports)" }),
  })
  .openapi("AuditChainReport");

type Row = typeof auditLog.$inferSelect;
const entry = (r: Row): z.infer<typeof AuditEntry> => ({
  id: r.id,
  at: r.at.toISOString(),
  actor: { type: r.actorType, id: r.actorId },
  action: r.action,
  target: { type: r.targetType, id: r.targetId },
  details: r.details,
  prev_hash: r.prevHash,
  hash: r.hash,
});

export type AuditEntryJson = z.infer<typeof AuditEntry>;

export async function listAudit(db: Queryable, orgId: string, q: z.infer<typeof AuditQuery>): Promise<{ items: AuditEntryJson[]; next_cursor: string | null }> {
  const conds: (SQL | undefined)[] = [eq(auditLog.orgId, orgId)];
  if (q.action) conds.push(q.action.endsWith(".") ? and(gte(auditLog.action, q.action), lt(auditLog.action, `${q.action}\uffff`)) : eq(auditLog.action, q.action));
  if (q.actor) conds.push(eq(auditLog.actorId, q.actor));
  if (q.target_type) conds.push(eq(auditLog.targetType, q.target_type));
  if (q.target_id) conds.push(eq(auditLog.targetId, q.target_id));
  if (q.since) conds.push(gte(auditLog.at, new Date(q.since)));
  if (q.until) conds.push(lte(auditLog.at, new Date(q.until)));
  if (q.cursor) {
    const id = Number(decodeCursor(q.cursor).id);
    conds.push(q.order === "asc" ? gt(auditLog.id, id) : lt(auditLog.id, id));
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(q.order === "asc" ? asc(auditLog.id) : desc(auditLog.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit).map(entry);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null };
}
