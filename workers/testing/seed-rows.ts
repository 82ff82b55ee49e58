// Test rows (an org with its default project, an API key), written through whichever
// database the caller holds: Postgres over the Neon driver in workerd (seed.ts), PGlite in
// the mutation config's Node runs (scripts/testing/node-seed.ts).
import type { Database } from "../db/client.ts";
import { apiKeys, orgs, projects } from "../db/schema/index.ts";
import { generateApiKey, type ApiKeyScope } from "../auth/api-key.ts";

let counter = 0;
export function uniqueSlug(base: string): string {
  counter += 1;
  return `${base}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface SeededOrg {
  orgId: string;
  projectId: string;
  slug: string;
}

export async function seedOrg(db: Database, slug = uniqueSlug("org")): Promise<SeededOrg> {
  const [org] = await db.insert(orgs).values({ slug, name: slug }).returning();
  const [project] = await db.insert(projects).values({ orgId: org!.id, slug: "default", name: "Default" }).returning();
  return { orgId: org!.id, projectId: project!.id, slug };
}

export async function seedKey(
  db: Database,
  orgId: string,
  scopes: ApiKeyScope[],
  extra: Partial<typeof apiKeys.$inferInsert> = {},
): Promise<{ key: string; id: string; prefix: string; hash: string }> {
  const k = await generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ orgId, name: "test key", prefix: k.prefix, keyHash: k.hash, scopes, createdBy: "test", ...extra })
    .returning({ id: apiKeys.id });
  return { key: k.key, id: row!.id, prefix: k.prefix, hash: k.hash };
}
