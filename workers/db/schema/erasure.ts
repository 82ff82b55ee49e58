import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./registry.ts";

// Erasure requests (GDPR Art. 17; workers/erasure/). A request is processed in the
// background and resumed until done: `progress` records each store's cumulative removal
// as it commits, `lease_until` keeps two workers off the same request. The subject id or
// prediction ids are kept only while the request is unfinished; `target` keeps their
// SHA-256 digests for the certificate.

export const erasureRequests = pgTable(
  "erasure_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    /** pending | running | done | failed */
    status: text("status").notNull().default("pending"),
    /** Limit to one model (by name); null: every model of the org. */
    model: text("model"),
    /** What to erase; nulled once the request is finished. */
    subjectId: text("subject_id"),
    predictionIds: jsonb("prediction_ids").$type<string[]>(),
    /** What was asked, as digests: { kind, subject_sha256? | prediction_ids_sha256?, count?, model }. */
    target: jsonb("target").$type<Record<string, unknown>>().notNull(),
    /** The audit actor who asked: { type, id }. */
    requestedBy: jsonb("requested_by").$type<{ type: string; id: string }>().notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
    leaseUntil: timestamp("lease_until", { withTimezone: true, mode: "date" }),
    attempts: integer("attempts").notNull().default(0),
    /** Per store (and per monitor), the cumulative rows removed so far. */
    progress: jsonb("progress").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    removed: jsonb("removed").$type<Record<string, number>>(),
    certificate: jsonb("certificate").$type<Record<string, unknown>>(),
    certificateSha256: text("certificate_sha256"),
    auditId: bigint("audit_id", { mode: "number" }),
    /** Why the request failed (no personal data); the last transient error while unfinished. */
    error: text("error"),
  },
  (t) => [
    index("erasure_requests_org_time").on(t.orgId, t.requestedAt, t.id),
    index("erasure_requests_unfinished").on(t.status).where(sql`status in ('pending', 'running')`),
  ],
);
