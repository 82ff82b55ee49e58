// The gate a signed change passes: given the record the change would make and the
// (already re-authenticated) signer, decide whether the change goes ahead now, waits for
// more signers, or is refused with 428. Runs inside the change's own transaction, so the
// change, its approval becoming `applied` and the last signature commit together; a
// signature that leaves the approval short commits without the change (the caller returns
// 202 and makes no change).
//
// One approval is pending per (org, action, target) at a time. A signature for a record
// whose hash differs from the pending one's (the thresholds moved under a promotion, say)
// supersedes it: the earlier signatures were for another record and count for nothing here.
import { and, count, eq, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { approvals, signatures } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { approvalsRequired } from "./policy.ts";
import { recordSha256, type SignedRecord } from "./records.ts";
import type { ApprovalView, SignatureView } from "./schemas.ts";
import type { Signer } from "./signer.ts";
import { approvalView, signatureView, signaturesOf } from "./store.ts";

export type GateResult = { state: "approved"; signatures: SignatureView[] } | { state: "pending"; approval: ApprovalView };

const HOW: Record<SignedRecord["action"], string> = {
  production_promotion: "promotion to production",
  baseline_change: "baseline change",
  threshold_change: "threshold change",
};

async function pendingFor(tx: Queryable, orgId: string, change: SignedRecord) {
  const [row] = await tx
    .select()
    .from(approvals)
    .where(and(eq(approvals.orgId, orgId), eq(approvals.action, change.action), eq(approvals.targetId, change.targetId), eq(approvals.status, "pending")));
  return row;
}

async function signedCount(tx: Queryable, approvalId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(signatures).where(eq(signatures.approvalId, approvalId));
  return Number(row?.n ?? 0);
}

export async function gateChange(tx: Queryable, orgId: string, actor: AuditActor, change: SignedRecord, signer: Signer | undefined): Promise<GateResult> {
  const required = await approvalsRequired(tx, orgId, change.action);
  if (!signer && required === 0) return { state: "approved", signatures: [] };
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`approval:${orgId}:${change.action}:${change.targetId}`}))`);
  const sha = await recordSha256(change.record);
  let pending = await pendingFor(tx, orgId, change);
  if (!signer) {
    const signed = pending?.recordSha256 === sha ? await signedCount(tx, pending.id) : 0;
    throw new ApiError(428, "signature_required", `this ${HOW[change.action]} needs electronic signatures from ${required} distinct user${required === 1 ? "" : "s"} (${signed} so far): add "signature": { "password", "meaning" } as a signed-in user`, {
      action: change.action,
      approvals_required: required,
      signed,
      record_sha256: sha,
      ...(pending?.recordSha256 === sha ? { approval_id: pending.id } : {}),
    });
  }
  const needed = Math.max(required, 1);
  if (pending && pending.recordSha256 !== sha) {
    await tx.update(approvals).set({ status: "superseded", completedAt: new Date() }).where(eq(approvals.id, pending.id));
    await recordAudit(tx, actor, { orgId, action: "approval.superseded", targetType: change.targetType, targetId: change.targetId, details: { approval_id: pending.id, record_sha256: pending.recordSha256, by_record_sha256: sha } });
    pending = undefined;
  }
  if (!pending) {
    [pending] = await tx
      .insert(approvals)
      .values({ orgId, action: change.action, targetType: change.targetType, targetId: change.targetId, model: change.model, version: change.version, record: change.record, recordSha256: sha, required: needed })
      .returning();
  } else if (pending.required !== needed) {
    // The policy changed since the first signature: the count in force now is the one that applies.
    [pending] = await tx.update(approvals).set({ required: needed }).where(eq(approvals.id, pending.id)).returning();
  }
  const approval = pending!;
  const [mine] = await tx.select({ id: signatures.id }).from(signatures).where(and(eq(signatures.approvalId, approval.id), eq(signatures.userId, signer.userId)));
  if (mine) {
    throw new ApiError(409, "already_signed", `${signer.email} already signed this ${HOW[change.action]}; it needs ${needed} distinct signers`, { approval_id: approval.id, signature_id: mine.id });
  }
  const id = crypto.randomUUID();
  const audit = await recordAudit(tx, actor, {
    orgId, action: "signature.sign", targetType: change.targetType, targetId: change.targetId,
    details: { signature_id: id, approval_id: approval.id, signed_action: change.action, meaning: signer.meaning, record_sha256: sha, signer: { user_id: signer.userId, name: signer.name, email: signer.email }, model: change.model, version: change.version },
  });
  await tx.insert(signatures).values({
    id, orgId, approvalId: approval.id, action: change.action, targetType: change.targetType, targetId: change.targetId,
    userId: signer.userId, signerName: signer.name, signerEmail: signer.email, meaning: signer.meaning, recordSha256: sha, auditId: audit.id, auditHash: audit.hash,
  });
  const signed = (await signaturesOf(tx, [approval.id])).get(approval.id) ?? [];
  if (signed.length < needed) return { state: "pending", approval: approvalView(approval, signed) };
  await tx.update(approvals).set({ status: "applied", completedAt: new Date() }).where(eq(approvals.id, approval.id));
  return { state: "approved", signatures: signed.map(signatureView) };
}
