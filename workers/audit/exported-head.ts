// Where an org's chain starts once retention has dropped a prefix of it: the last
// export's final hash (workers/retention/audit-prune.ts). Appends chain from it when no
// record is left, and verification starts its walk there.
import { desc, eq } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { auditExports } from "../db/schema/index.ts";

type AnyPg = PgDatabase<PgQueryResultHKT, any, any>;

export interface ExportedHead {
  exportId: string;
  /** The last dropped record's id: the kept chain holds only later ones. */
  lastId: number;
  lastHash: string;
}

export async function exportedHead(db: AnyPg, orgId: string): Promise<ExportedHead | null> {
  const [last] = await db
    .select({ exportId: auditExports.id, lastId: auditExports.lastId, lastHash: auditExports.lastHash })
    .from(auditExports)
    .where(eq(auditExports.orgId, orgId))
    .orderBy(desc(auditExports.lastId))
    .limit(1);
  return last ?? null;
}
