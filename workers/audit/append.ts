import { desc, eq, isNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { auditLog } from "../db/schema/index.ts";
import { exportedHead } from "./exported-head.ts";
import { GENESIS_HASH, auditEntryHash, type AuditContent } from "./hash.ts";

export type AuditInput = Omit<AuditContent, "at" | "details"> & { details?: Record<string, unknown> };

// Any drizzle Postgres handle (Neon in the Worker, node-postgres in scripts), or a transaction on one.
type AnyPg = PgDatabase<PgQueryResultHKT, any, any>;

/**
 * Appends one entry to an org's hash chain. Callers run it inside the transaction
 * that made the change, so the change and its record commit together. The advisory
 * lock serialises appends per org so two writers cannot fork the chain.
 */
export async function appendAudit(db: AnyPg, input: AuditInput): Promise<{ id: number; hash: string }> {
  const chain = input.orgId ?? "instance";
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit:${chain}`}))`);
  const [last] = await db
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(input.orgId ? eq(auditLog.orgId, input.orgId) : isNull(auditLog.orgId))
    .orderBy(desc(auditLog.id))
    .limit(1);
  // An org whose every record was exported and dropped (retention) chains on from the export.
  const prevHash = last?.hash ?? (input.orgId ? (await exportedHead(db, input.orgId))?.lastHash : undefined) ?? GENESIS_HASH;
  // Millisecond ISO time is what Postgres round-trips exactly, so verification can recompute it.
  const content: AuditContent = { ...input, details: input.details ?? {}, at: new Date().toISOString() };
  const hash = await auditEntryHash(prevHash, content);
  const [row] = await db
    .insert(auditLog)
    .values({ ...content, at: new Date(content.at), prevHash, hash })
    .returning({ id: auditLog.id });
  return { id: row!.id, hash };
}
