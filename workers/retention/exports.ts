// Reading audit exports (audit-prune.ts wrote them): the list of an org's dropped chain
// prefixes, and one export's JSONL, from Postgres or R2.
import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { auditExports } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";

export const AuditExportView = z
  .object({
    id: z.string().uuid(),
    first_id: z.number().int(),
    last_id: z.number().int(),
    records: z.number().int(),
    first_prev_hash: z.string().openapi({ description: "The hash the first exported record chained from (64 zeros for the chain's start)" }),
    last_hash: z.string().openapi({ description: "The last exported record's hash: the kept chain (or the next export) starts from it" }),
    cutoff: z.string(),
    sha256: z.string().openapi({ description: "SHA-256 of the JSONL as stored" }),
    bytes: z.number().int(),
    location: z.enum(["postgres", "r2"]),
    object_key: z.string().nullable(),
    exported_at: z.string(),
  })
  .openapi("AuditExport");

type Row = typeof auditExports.$inferSelect;

const view = (r: Row): z.infer<typeof AuditExportView> => ({
  id: r.id,
  first_id: r.firstId,
  last_id: r.lastId,
  records: r.records,
  first_prev_hash: r.firstPrevHash,
  last_hash: r.lastHash,
  cutoff: r.cutoff.toISOString(),
  sha256: r.sha256,
  bytes: r.bytes,
  location: r.location as "postgres" | "r2",
  object_key: r.objectKey,
  exported_at: r.exportedAt.toISOString(),
});

/** The org's exports, oldest first (each chains from the one before). */
export async function listExports(db: Queryable, orgId: string) {
  const rows = await db.select().from(auditExports).where(eq(auditExports.orgId, orgId)).orderBy(asc(auditExports.lastId));
  return rows.map(view);
}

/** One export's JSONL (404 when the org has no such export). */
export async function exportBody(db: Queryable, orgId: string, id: string, reports?: R2Bucket): Promise<string> {
  const [row] = await db.select().from(auditExports).where(and(eq(auditExports.orgId, orgId), eq(auditExports.id, id)));
  if (!row) throw new ApiError(404, "not_found", "audit export not found");
  if (row.body !== null) return row.body;
  const object = row.objectKey && reports ? await reports.get(row.objectKey) : null;
  if (!object) throw new ApiError(503, "unavailable", `audit export ${id} is in R2 (${row.objectKey}), which this deployment cannot reach`);
  return object.text();
}
