import { sql } from "drizzle-orm";
import { bigint, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./registry.ts";

// Electronic signatures (21 CFR Part 11; workers/signatures/, migration 0012). A change the
// org's policy wants signed waits in an approval: the exact record to be signed, its
// SHA-256, and how many distinct signers it needs. Each signature names the signer and the
// meaning, points at its audit entry, and is bound to its approval's hash by a composite
// foreign key. Signatures are immutable (a trigger refuses UPDATE, DELETE and TRUNCATE);
// an approval's record and hash cannot change either, only its status.

/** { production_promotion, baseline_change, threshold_change }: each { required, approvals }. */
export const signaturePolicies = pgTable("signature_policies", {
  orgId: uuid("org_id").primaryKey().references(() => orgs.id, { onDelete: "cascade" }),
  policy: jsonb("policy").$type<Record<string, { required: boolean; approvals: number }>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "restrict" }),
    /** production_promotion | baseline_change | threshold_change */
    action: text("action").notNull(),
    /** model_version | baseline */
    targetType: text("target_type").notNull(),
    targetId: uuid("target_id").notNull(),
    model: text("model").notNull(),
    version: text("version").notNull(),
    /** The record signed, as its canonical JSON hashes it. */
    record: jsonb("record").$type<Record<string, unknown>>().notNull(),
    recordSha256: text("record_sha256").notNull(),
    /** Distinct signers needed. */
    required: integer("required").notNull(),
    /** pending | applied | superseded */
    status: text("status").notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("approvals_id_record").on(t.id, t.recordSha256),
    uniqueIndex("approvals_one_pending").on(t.orgId, t.action, t.targetId).where(sql`"status" = 'pending'`),
    index("approvals_org_time").on(t.orgId, t.createdAt, t.id),
  ],
);

export const signatures = pgTable(
  "signatures",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "restrict" }),
    approvalId: uuid("approval_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: uuid("target_id").notNull(),
    /** The signer's account; no foreign key, so the signature outlives the account. */
    userId: uuid("user_id").notNull(),
    signerName: text("signer_name").notNull(),
    signerEmail: text("signer_email").notNull(),
    /** approved | reviewed | responsible */
    meaning: text("meaning").notNull(),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
    recordSha256: text("record_sha256").notNull(),
    /** The audit entry that records the signing, and its chain hash. */
    auditId: bigint("audit_id", { mode: "number" }).notNull(),
    auditHash: text("audit_hash").notNull(),
  },
  (t) => [
    uniqueIndex("signatures_one_per_signer").on(t.approvalId, t.userId),
    index("signatures_target").on(t.orgId, t.targetType, t.targetId, t.signedAt),
    // A signature is bound to the exact record it signed (§11.70): approval id and record hash together.
    foreignKey({ name: "signatures_approval_record_fk", columns: [t.approvalId, t.recordSha256], foreignColumns: [approvals.id, approvals.recordSha256] }).onDelete("restrict"),
  ],
);
