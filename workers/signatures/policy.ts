// The org's signature policy: which changes need electronic signatures and how many
// distinct signers. An org that never set one requires none (the product's behaviour
// before Part 11 support), which GET states explicitly.
import { eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { signaturePolicies } from "../db/schema/index.ts";
import { SignaturePolicy, type SignedAction } from "./schemas.ts";

const OFF = { required: false, approvals: 1 } as const;
export const DEFAULT_POLICY: SignaturePolicy = { production_promotion: { ...OFF }, baseline_change: { ...OFF }, threshold_change: { ...OFF } };

export async function loadPolicy(db: Queryable, orgId: string) {
  const [row] = await db.select().from(signaturePolicies).where(eq(signaturePolicies.orgId, orgId));
  // Parse what is stored rather than cast it: a row written by an older shape falls back to "off" per action.
  const parsed = SignaturePolicy.safeParse(row?.policy);
  return { policy: parsed.success ? parsed.data : DEFAULT_POLICY, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

export function policyView(p: Awaited<ReturnType<typeof loadPolicy>>) {
  return { ...p.policy, updated_at: p.updatedAt?.toISOString() ?? null, updated_by: p.updatedBy };
}

/** How many distinct signers the action needs now; 0 when signing is optional. */
export async function approvalsRequired(db: Queryable, orgId: string, action: SignedAction): Promise<number> {
  const rule = (await loadPolicy(db, orgId)).policy[action];
  return rule.required ? rule.approvals : 0;
}

/** Replaces the policy, audited with before and after, in one transaction. */
export async function savePolicy(db: Queryable, orgId: string, actor: AuditActor, policy: SignaturePolicy) {
  return db.transaction(async (tx) => {
    const before = await loadPolicy(tx, orgId);
    const updatedBy = `${actor.type}:${actor.id}`;
    await tx
      .insert(signaturePolicies)
      .values({ orgId, policy, updatedBy })
      .onConflictDoUpdate({ target: signaturePolicies.orgId, set: { policy, updatedBy, updatedAt: new Date() } });
    await recordAudit(tx, actor, { orgId, action: "signature_policy.update", targetType: "org", targetId: orgId, before: before.policy, after: policy });
    return policyView(await loadPolicy(tx, orgId));
  });
}
