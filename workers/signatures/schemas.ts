// The wire shapes of electronic signatures (21 CFR Part 11): the org's policy, the
// `signature` a caller adds to a change, and what is read back (signatures, approvals).
import { z } from "@hono/zod-openapi";
import { PageQuery } from "../registry/pagination.ts";

export const SIGNED_ACTIONS = ["production_promotion", "baseline_change", "threshold_change"] as const;
export type SignedAction = (typeof SIGNED_ACTIONS)[number];

export const MEANINGS = ["approved", "reviewed", "responsible"] as const;
export type Meaning = (typeof MEANINGS)[number];

/** More signers than this is a committee, not a control; also the DB's CHECK. */
export const MAX_APPROVALS = 10;

const ActionPolicy = z
  .object({
    required: z.boolean().openapi({ description: "whether the change needs electronic signatures" }),
    approvals: z.number().int().min(1).max(MAX_APPROVALS).openapi({ description: `distinct signers needed (1 to ${MAX_APPROVALS})` }),
  })
  .strict();

export const SignaturePolicy = z
  .object({
    production_promotion: ActionPolicy.openapi({ description: "POST …/promote to production (and PATCH stage to production, which is refused while required)" }),
    baseline_change: ActionPolicy.openapi({ description: "making a baseline the active one: POST …/baselines (activate), POST …/baselines/{id}/activate, PUT …/baseline" }),
    threshold_change: ActionPolicy.openapi({ description: "changing a version's thresholds: PATCH …/versions/{version} with thresholds" }),
  })
  .strict()
  .openapi("SignaturePolicy");
export type SignaturePolicy = z.infer<typeof SignaturePolicy>;

export const SignaturePolicyView = SignaturePolicy.extend({
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
}).openapi("SignaturePolicyView");

export const SignatureInput = z
  .object({
    password: z.string().min(1).max(1_000).openapi({ description: "the signer's own password: every signing re-authenticates (§11.200(a)(1))" }),
    meaning: z.enum(MEANINGS).openapi({ description: "what the signature means (§11.50(a)(3))" }),
  })
  .strict()
  .openapi("SignatureInput", { description: "An electronic signature by the signed-in user. API keys can never sign." });
export type SignatureInput = z.infer<typeof SignatureInput>;

export const Signature = z
  .object({
    id: z.string().uuid(),
    approval_id: z.string().uuid(),
    action: z.enum(SIGNED_ACTIONS),
    target_type: z.string(),
    target_id: z.string().uuid(),
    signer: z.object({ user_id: z.string().uuid(), name: z.string(), email: z.string() }),
    meaning: z.enum(MEANINGS),
    signed_at: z.string().openapi({ description: "UTC, ISO 8601" }),
    record_sha256: z.string().openapi({ description: "SHA-256 of the canonical JSON of the record signed (the approval's `record`)" }),
    audit_id: z.number().int().openapi({ description: "the audit entry (`signature.sign`) that records this signing" }),
    audit_hash: z.string(),
  })
  .openapi("Signature");
export type SignatureView = z.infer<typeof Signature>;

export const Approval = z
  .object({
    id: z.string().uuid(),
    action: z.enum(SIGNED_ACTIONS),
    target_type: z.string(),
    target_id: z.string().uuid(),
    model: z.string(),
    version: z.string(),
    record: z.record(z.string(), z.unknown()).openapi({ description: "the exact record signed; its canonical JSON (keys sorted at every depth) hashes to record_sha256" }),
    record_sha256: z.string(),
    approvals_required: z.number().int(),
    status: z.enum(["pending", "applied", "superseded"]),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    signatures: z.array(Signature),
  })
  .openapi("Approval");
export type ApprovalView = z.infer<typeof Approval>;

export const PendingApproval = z
  .object({ status: z.literal("pending_approval"), approval: Approval })
  .openapi("PendingApproval", { description: "Signed; the change waits for more distinct signers (`approval.approvals_required`)." });

export const SignatureListQuery = PageQuery.extend({
  target_type: z.enum(["model_version", "baseline"]).optional().openapi({ description: "with target_id: the signatures of one record's target" }),
  target_id: z.string().uuid().optional(),
  action: z.enum(SIGNED_ACTIONS).optional(),
});

export const ApprovalListQuery = PageQuery.extend({
  status: z.enum(["pending", "applied", "superseded"]).optional(),
  target_id: z.string().uuid().optional(),
});
