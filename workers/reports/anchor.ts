// The audit chain anchor every report embeds: the org's chain verified as GET
// /v1/audit/verify does, its last good hash, and the id of the record holding it. A
// reader later checks that record still carries that hash: the report then saw exactly
// the chain up to it. A broken chain is recorded as such (chain_ok false), not hidden.
import { and, eq } from "drizzle-orm";
import { verifyChain } from "../audit/verify.ts";
import type { Queryable } from "../db/queryable.ts";
import { auditLog } from "../db/schema/index.ts";
import type { AuditAnchor } from "./document.ts";

export async function auditAnchor(db: Queryable, orgId: string): Promise<AuditAnchor> {
  const report = await verifyChain(db, orgId);
  const [row] = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.hash, report.last_hash))).limit(1);
  return { last_hash: report.last_hash, record_id: row?.id ?? null, chain_ok: report.ok, checked: report.checked };
}
