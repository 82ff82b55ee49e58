// Reading approvals and signatures back, as the API shows them.
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { approvals, signatures } from "../db/schema/index.ts";
import { afterCursor, msTime, page } from "../registry/pagination.ts";
import type { ApprovalView, Meaning, SignatureView, SignedAction } from "./schemas.ts";

type SignatureRow = typeof signatures.$inferSelect;
type ApprovalRow = typeof approvals.$inferSelect;

export function signatureView(row: SignatureRow): SignatureView {
  return {
    id: row.id,
    approval_id: row.approvalId,
    action: row.action as SignedAction,
    target_type: row.targetType,
    target_id: row.targetId,
    signer: { user_id: row.userId, name: row.signerName, email: row.signerEmail },
    meaning: row.meaning as Meaning,
    signed_at: row.signedAt.toISOString(),
    record_sha256: row.recordSha256,
    audit_id: row.auditId,
    audit_hash: row.auditHash,
  };
}

export function approvalView(row: ApprovalRow, signed: SignatureRow[]): ApprovalView {
  return {
    id: row.id,
    action: row.action as SignedAction,
    target_type: row.targetType,
    target_id: row.targetId,
    model: row.model,
    version: row.version,
    record: row.record,
    record_sha256: row.recordSha256,
    approvals_required: row.required,
    status: row.status as ApprovalView["status"],
    created_at: row.createdAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
    signatures: signed.map(signatureView),
  };
}

export async function signaturesOf(db: Queryable, approvalIds: string[]): Promise<Map<string, SignatureRow[]>> {
  const out = new Map<string, SignatureRow[]>();
  if (approvalIds.length === 0) return out;
  const rows = await db.select().from(signatures).where(inArray(signatures.approvalId, approvalIds)).orderBy(asc(signatures.signedAt), asc(signatures.id));
  for (const r of rows) out.set(r.approvalId, [...(out.get(r.approvalId) ?? []), r]);
  return out;
}

interface SignatureFilter {
  targetType?: string;
  targetId?: string;
  action?: SignedAction;
  cursor?: string;
  limit: number;
  order: "asc" | "desc";
}

/** An org's signatures, oldest first unless `order=desc`, optionally of one target or action. */
export async function listSignatures(db: Queryable, orgId: string, q: SignatureFilter) {
  const conds: (SQL | undefined)[] = [eq(signatures.orgId, orgId)];
  if (q.targetType) conds.push(eq(signatures.targetType, q.targetType));
  if (q.targetId) conds.push(eq(signatures.targetId, q.targetId));
  if (q.action) conds.push(eq(signatures.action, q.action));
  conds.push(afterCursor(msTime(signatures.signedAt), signatures.id, q.cursor, q.order, "timestamptz", "uuid"));
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db.select().from(signatures).where(and(...conds)).orderBy(dir(msTime(signatures.signedAt)), dir(signatures.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.signedAt.toISOString(), id: r.id }));
  return { items: result.items.map(signatureView), next_cursor: result.next_cursor };
}

interface ApprovalFilter {
  status?: string;
  targetId?: string;
  cursor?: string;
  limit: number;
  order: "asc" | "desc";
}

/** An org's approvals with their signatures, oldest first unless `order=desc`. */
export async function listApprovals(db: Queryable, orgId: string, q: ApprovalFilter) {
  const conds: (SQL | undefined)[] = [eq(approvals.orgId, orgId)];
  if (q.status) conds.push(eq(approvals.status, q.status));
  if (q.targetId) conds.push(eq(approvals.targetId, q.targetId));
  conds.push(afterCursor(msTime(approvals.createdAt), approvals.id, q.cursor, q.order, "timestamptz", "uuid"));
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db.select().from(approvals).where(and(...conds)).orderBy(dir(msTime(approvals.createdAt)), dir(approvals.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  const signed = await signaturesOf(db, result.items.map((r) => r.id));
  return { items: result.items.map((r) => approvalView(r, signed.get(r.id) ?? [])), next_cursor: result.next_cursor };
}
