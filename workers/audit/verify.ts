import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { auditLog } from "../db/schema/index.ts";
import { exportedHead } from "./exported-head.ts";
import { GENESIS_HASH, auditEntryHash, type AuditContent } from "./hash.ts";

export interface BrokenLink {
  id: number;
  /** `prev_hash` does not name the previous record (one was deleted, reordered or inserted), or the record's own content no longer matches its hash. */
  reason: "prev_hash_mismatch" | "hash_mismatch";
  expected: string;
  actual: string;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  last_hash: string;
  first_broken: BrokenLink | null;
  /** Set once retention dropped a prefix: the walk starts from the last exported record's hash. */
  starts_after: { export_id: string; last_id: number; last_hash: string } | null;
}

const BATCH = 1_000;

export function contentOf(row: typeof auditLog.$inferSelect): AuditContent {
  return {
    orgId: row.orgId,
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details,
  };
}

/**
 * Walks an org's chain oldest first, recomputing each hash from the stored content and
 * the previous record's hash. Stops at the first broken link: an UPDATE of any field,
 * a DELETE, or an inserted forgery all show up there.
 */
export async function verifyChain(db: Queryable, orgId: string | null): Promise<ChainReport> {
  const head = orgId ? await exportedHead(db, orgId) : null;
  const starts_after = head ? { export_id: head.exportId, last_id: head.lastId, last_hash: head.lastHash } : null;
  let prev = head?.lastHash ?? GENESIS_HASH;
  let afterId = head?.lastId ?? 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(orgId ? eq(auditLog.orgId, orgId) : isNull(auditLog.orgId), gt(auditLog.id, afterId)))
      .orderBy(asc(auditLog.id))
      .limit(BATCH);
    for (const row of rows) {
      if (row.prevHash !== prev) return { ok: false, checked, last_hash: prev, first_broken: { id: row.id, reason: "prev_hash_mismatch", expected: prev, actual: row.prevHash }, starts_after };
      const recomputed = await auditEntryHash(row.prevHash, contentOf(row));
      if (recomputed !== row.hash) return { ok: false, checked, last_hash: prev, first_broken: { id: row.id, reason: "hash_mismatch", expected: recomputed, actual: row.hash }, starts_after };
      prev = row.hash;
      checked += 1;
      afterId = row.id;
    }
    if (rows.length < BATCH) return { ok: true, checked, last_hash: prev, first_broken: null, starts_after };
  }
}
