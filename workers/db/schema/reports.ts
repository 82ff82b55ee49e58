import { customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./registry.ts";
import { reportSchedules } from "./report-schedules.ts";

// Reports (issue 16; workers/reports/, migration 0013). A report row keeps the exact query,
// the audit chain anchor it embeds, the file's SHA-256 and where its bytes live:
// report_files (bytea) without an R2 binding, R2 (`object_key`) with one. A failed
// generation keeps its reason in `error` and has no file.

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
  dataType: () => "bytea",
  // Sent as bytea's hex text form ('\\x…'): every driver passes text through unchanged, while a
  // bare Uint8Array would go as an array and a Buffer needs node:buffer (not in the Worker's types).
  toDriver: (value) => bytesHex(value),
  // The Neon driver returns bytea as a Buffer (a Uint8Array) or, through some relays, as \x-hex text.
  fromDriver: (value) => (typeof value === "string" ? hexBytes(value) : new Uint8Array(value)),
});

function bytesHex(bytes: Uint8Array): string {
  let hex = "\\x";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function hexBytes(text: string): Uint8Array {
  const hex = text.startsWith("\\x") ? text.slice(2) : text;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface ReportAnchor {
  /** The audit chain's last hash (GET /v1/audit/verify) when generation started, and that record's id. */
  last_hash: string;
  record_id: number | null;
  chain_ok: boolean;
  checked: number;
}

export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    /** drift | performance | model-risk | audit-trail | gdpr-processing */
    kind: text("kind").notNull(),
    /** pdf | html | json */
    format: text("format").notNull(),
    /** running | succeeded | failed */
    status: text("status").notNull().default("running"),
    /** The request as accepted (kind, scope, range, format), embedded in the document. */
    query: jsonb("query").$type<Record<string, unknown>>().notNull(),
    projectId: uuid("project_id"),
    model: text("model"),
    version: text("version"),
    rangeFrom: tz("range_from").notNull(),
    rangeTo: tz("range_to").notNull(),
    scheduleId: uuid("schedule_id").references(() => reportSchedules.id, { onDelete: "set null" }),
    createdBy: jsonb("created_by").$type<{ type: string; id: string }>().notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    completedAt: tz("completed_at"),
    generator: text("generator").notNull(),
    anchor: jsonb("anchor").$type<ReportAnchor>(),
    /** SHA-256 of the file's bytes, hex. */
    sha256: text("sha256"),
    /** SHA-256 of the canonical JSON of the report's content, printed inside every format. */
    contentSha256: text("content_sha256"),
    sizeBytes: integer("size_bytes"),
    contentType: text("content_type"),
    fileName: text("file_name"),
    /** postgres | r2 */
    storage: text("storage"),
    objectKey: text("object_key"),
    durationMs: integer("duration_ms"),
    error: text("error"),
  },
  (t) => [index("reports_org_created").on(t.orgId, t.createdAt, t.id)],
);

export const reportFiles = pgTable("report_files", {
  reportId: uuid("report_id").primaryKey().references(() => reports.id, { onDelete: "cascade" }),
  bytes: bytea("bytes").notNull(),
});
