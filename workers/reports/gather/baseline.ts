// The reference a drift report judges against: the version's active baseline in the
// registry, read with the profile reader so a damaged row fails loudly. A monitor that
// froze its first events keeps that profile in its own storage only; the report then
// says so and judges from the history the monitor wrote.
import { and, eq } from "drizzle-orm";
import { readProfile } from "../../../stats/profile/io.ts";
import type { Profile } from "../../../stats/profile/schema.ts";
import type { Queryable } from "../../db/queryable.ts";
import { baselines } from "../../db/schema/index.ts";

export interface ActiveBaseline {
  id: string;
  name: string;
  created_at: string;
  created_by: string;
  rows: number;
  profile: Profile;
}

export async function activeBaseline(db: Queryable, versionId: string): Promise<ActiveBaseline | null> {
  const [row] = await db.select().from(baselines).where(and(eq(baselines.versionId, versionId), eq(baselines.active, true))).limit(1);
  if (!row) return null;
  const profile = readProfile(row.profile);
  return { id: row.id, name: row.name, created_at: row.createdAt.toISOString(), created_by: row.createdBy, rows: profile.rows, profile };
}
