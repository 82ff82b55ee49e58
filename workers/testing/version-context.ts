// A registered model version and a context that resolveVersion accepts, for tests of
// the version cache without a route: resolveVersion reads only c.var (principal and db).
import type { Context } from "hono";
import type { Database } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedOrg } from "./seed.ts";

export interface VersionContext {
  orgId: string;
  /** A context for an ingest key of the org, reading Postgres through `getDb`. */
  ctx: (getDb: () => Database) => Context<AppEnv>;
}

/** A fresh org with binary version `v1` of `model` (one numerical feature, "a"). */
export async function seedVersionContext(db: Database, model: string): Promise<VersionContext> {
  const { orgId } = await seedOrg(db);
  await registerModelVersionFromIngest(db, {
    orgId, model, version: "v1", predictionKind: "binary", featureSchema: [{ name: "a", kind: "numerical", dtype: "float" }],
  });
  const principal = { kind: "api_key" as const, orgId, keyId: "k", prefix: "vgl_0000", scopes: ["ingest" as const], projectId: null, modelId: null };
  return { orgId, ctx: (getDb) => ({ var: { principal, db: getDb } }) as unknown as Context<AppEnv> };
}
