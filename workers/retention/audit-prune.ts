// Audit retention: an org's chain loses whole prefixes only, each exported first.
// A prefix is every record from the chain's current start up to the last one before the
// first record still within `audit_days` (at most MAX_EXPORT_RECORDS per export). Before
// anything is dropped it is
//   1. verified: it must chain from the previous export's last hash (or 64 zeros) and
//      every hash must recompute; a broken prefix is never dropped (it is evidence);
//   2. exported as JSON Lines, one record a line in GET /v1/audit's shape, to R2
//      (binding REPORTS, deployed environments) or, without R2, to audit_exports.body;
//   3. recorded in audit_exports with its first and last id, the hash it chained from,
//      the hash it ends on and the SHA-256 of the JSONL; then deleted (the append-only
//      trigger lets through only records an export covers) and the drop is appended to
//      the chain (`audit.pruned`), all in one transaction.
// The remaining chain's first record names the last exported hash as its prev_hash, so
// verification starts there (workers/audit/verify.ts) and still covers every record kept.
import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import { exportedHead } from "../audit/exported-head.ts";
import { GENESIS_HASH, auditEntryHash } from "../audit/hash.ts";
import { recordAudit } from "../audit/record.ts";
import { contentOf } from "../audit/verify.ts";
import type { Database } from "../db/client.ts";
import { auditExports, auditLog } from "../db/schema/index.ts";
import { sha256Hex } from "../erasure/certificate.ts";
import { DAY_MS } from "./policy.ts";

/** Records per export (a longer prefix leaves in several exports, oldest first). */
export const MAX_EXPORT_RECORDS = 50_000;
/** Exports per run and org: the rest of an old chain goes on the next runs. */
const MAX_EXPORTS_PER_RUN = 10;
const READ_BATCH = 1_000;

export interface AuditExportSummary {
  id: string;
  first_id: number;
  last_id: number;
  records: number;
  last_hash: string;
  location: "postgres" | "r2";
}

/** Thrown when the prefix to drop does not verify: it stays, and the run reports it. */
export class AuditChainBroken extends Error {
  override name = "AuditChainBroken";
}

type Row = typeof auditLog.$inferSelect;

const entryLine = (r: Row) =>
  JSON.stringify({ id: r.id, at: r.at.toISOString(), actor: { type: r.actorType, id: r.actorId }, action: r.action, target: { type: r.targetType, id: r.targetId }, details: r.details, prev_hash: r.prevHash, hash: r.hash });

/** The id of the last record of the droppable prefix (records before the first one at or after `cutoff`), or null. */
async function prefixEnd(db: Database, orgId: string, cutoff: Date): Promise<{ firstId: number; lastId: number } | null> {
  const [first] = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.id)).limit(1);
  if (!first) return null;
  const [kept] = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.orgId, orgId), gte(auditLog.at, cutoff))).orderBy(asc(auditLog.id)).limit(1);
  const [newest] = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(desc(auditLog.id)).limit(1);
  const end = kept ? kept.id - 1 : newest!.id;
  if (end < first.id) return null;
  // At most MAX_EXPORT_RECORDS: the id of that many records in.
  const capped = await db.execute<{ id: string }>(sql`SELECT id FROM audit_log WHERE org_id = ${orgId} AND id <= ${end} ORDER BY id LIMIT 1 OFFSET ${MAX_EXPORT_RECORDS - 1}`);
  const last = capped.rows[0] ? Math.min(end, Number(capped.rows[0].id)) : end;
  return { firstId: first.id, lastId: last };
}

/** Reads and verifies the prefix; returns its JSONL and the hashes it starts from and ends on. */
async function readPrefix(db: Database, orgId: string, firstId: number, lastId: number, startHash: string) {
  const lines: string[] = [];
  let prev = startHash;
  let after = firstId - 1;
  for (;;) {
    const rows = await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), gte(auditLog.id, after + 1))).orderBy(asc(auditLog.id)).limit(READ_BATCH);
    for (const row of rows) {
      if (row.id > lastId) break;
      if (row.prevHash !== prev) throw new AuditChainBroken(`audit record ${row.id} does not chain from the record before it; the prefix is kept`);
      if ((await auditEntryHash(row.prevHash, contentOf(row))) !== row.hash) throw new AuditChainBroken(`audit record ${row.id} does not match its hash; the prefix is kept`);
      lines.push(entryLine(row));
      prev = row.hash;
      after = row.id;
    }
    if (rows.length < READ_BATCH || after >= lastId) break;
  }
  return { body: `${lines.join("\n")}\n`, records: lines.length, lastHash: prev };
}

/** Exports and drops one prefix; null when nothing is older than the cutoff. */
async function pruneOnce(db: Database, orgId: string, cutoff: Date, reports: R2Bucket | undefined): Promise<AuditExportSummary | null> {
  const range = await prefixEnd(db, orgId, cutoff);
  if (!range) return null;
  const start = (await exportedHead(db, orgId))?.lastHash ?? GENESIS_HASH;
  const { body, records, lastHash } = await readPrefix(db, orgId, range.firstId, range.lastId, start);
  const sha256 = await sha256Hex(body);
  const bytes = new TextEncoder().encode(body).length;
  const objectKey = `audit-exports/${orgId}/${String(range.firstId).padStart(12, "0")}-${String(range.lastId).padStart(12, "0")}.jsonl`;
  // Written (idempotently, by its ids) before the records go; a run that dies after this leaves the records in place.
  if (reports) await reports.put(objectKey, body, { httpMetadata: { contentType: "application/x-ndjson" }, customMetadata: { org_id: orgId, first_prev_hash: start, last_hash: lastHash, sha256 }, sha256 });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit:${orgId}`}))`);
    const [exported] = await tx
      .insert(auditExports)
      .values({
        orgId,
        firstId: range.firstId,
        lastId: range.lastId,
        records,
        firstPrevHash: start,
        lastHash,
        cutoff,
        sha256,
        bytes,
        location: reports ? "r2" : "postgres",
        objectKey: reports ? objectKey : null,
        body: reports ? null : body,
      })
      .returning({ id: auditExports.id });
    const dropped = await tx.delete(auditLog).where(and(eq(auditLog.orgId, orgId), gte(auditLog.id, range.firstId), sql`${auditLog.id} <= ${range.lastId}`)).returning({ id: auditLog.id });
    if (dropped.length !== records) throw new AuditChainBroken(`audit prefix changed while it was exported (${dropped.length} records, ${records} exported); nothing dropped`);
    const summary: AuditExportSummary = { id: exported!.id, first_id: range.firstId, last_id: range.lastId, records, last_hash: lastHash, location: reports ? "r2" : "postgres" };
    await recordAudit(tx, { type: "system", id: "retention" }, {
      orgId,
      action: "audit.pruned",
      targetType: "audit_export",
      targetId: exported!.id,
      details: { ...summary, first_prev_hash: start, sha256, cutoff: cutoff.toISOString(), ...(reports ? { object_key: objectKey } : {}) },
    });
    return summary;
  });
}

/** Drops every audit record older than `days` (whole prefixes, exported first); the exports made. */
export async function pruneAudit(db: Database, orgId: string, days: number, now: number, reports?: R2Bucket): Promise<AuditExportSummary[]> {
  const cutoff = new Date(now - days * DAY_MS);
  const made: AuditExportSummary[] = [];
  for (let i = 0; i < MAX_EXPORTS_PER_RUN; i++) {
    const summary = await pruneOnce(db, orgId, cutoff, reports);
    if (!summary) break;
    made.push(summary);
  }
  return made;
}
