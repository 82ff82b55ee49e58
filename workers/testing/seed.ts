// Test fixtures that write real rows (through the same Neon driver and relay as production code).
import { env } from "cloudflare:workers";
import { openDatabase, type Database } from "../db/client.ts";
import { apiKeys, orgs, projects } from "../db/schema/index.ts";
import { generateApiKey, type ApiKeyScope } from "../auth/api-key.ts";
import type { Bindings } from "../env.ts";

export const testEnv = env as unknown as Bindings;

export function testDb(): Database {
  // Fixtures open several pools at once and share two cores with workerd and Postgres:
  // a 5 s connect timeout fails set-up under load, not the code under test.
  return openDatabase(testEnv.DATABASE_URL!, testEnv.NEON_WS_PROXY, 30_000);
}

/** Runs `fn` with a database and always closes its pool. */
export async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = testDb();
  try {
    return await fn(db);
  } finally {
    await db.$client.end();
  }
}

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
