// Test fixtures that write real rows (through the same Neon driver and relay as production code).
import { env } from "cloudflare:workers";
import { openDatabase, type Database } from "../db/client.ts";
import type { Bindings } from "../env.ts";

// The rows themselves are written by seed-rows.ts, which needs no workerd: the mutation
// config's Node stand-in for this module (scripts/testing/node-seed.ts) shares it.
export { seedKey, seedOrg, uniqueSlug, type SeededOrg } from "./seed-rows.ts";

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
