// Stands in for workers/testing/seed.ts in vitest.mutation-node.config.ts (mutation testing
// only), so that tests written for workerd against Postgres (the delivery tests) run in
// Node against PGlite, in process: Postgres 17 compiled to WASM, migrated with the same
// drizzle migrations. It offers what those tests use: `withDb` on one migrated
// database per test file, the shared row seeders, and the Durable Object stand-in's
// `testEnv` (node-durable-object.ts). Anything else from seed.ts is missing here, so a test
// that reaches for it fails at import instead of passing without its precondition.
//
// A fresh PGlite runs initdb inside WASM (about 4 s here); each file loads a migrated
// cluster kept in the system's temporary folder instead (under 1 s), keyed by PGlite's
// version and the migrations' contents, so a changed migration makes a new one.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Database } from "../../workers/db/client.ts";
import * as schema from "../../workers/db/schema/index.ts";
import { testEnv as objectEnv } from "./node-durable-object.ts";

export { seedKey, seedOrg, uniqueSlug, type SeededOrg } from "../../workers/testing/seed-rows.ts";

export const testEnv = objectEnv;

const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));

function templateFile(): string {
  // The package exports no package.json; it sits above the entry point (Stryker's sandbox links node_modules elsewhere).
  let dir = dirname(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const hash = createHash("sha256");
  for (const dir of [MIGRATIONS, join(MIGRATIONS, "meta")]) {
    for (const name of readdirSync(dir).sort()) if (name.endsWith(".sql") || name === "_journal.json") hash.update(name).update(readFileSync(join(dir, name)));
  }
  return join(tmpdir(), `vigil-mutation-pglite-${version}-${hash.digest("hex").slice(0, 16)}.tar`);
}

async function openMigrated(): Promise<PGlite> {
  const template = templateFile();
  if (existsSync(template)) return PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) });
  const client = await PGlite.create();
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
  // Written under another name and renamed: a file run at the same moment reads all of it or none.
  const partial = `${template}.${process.pid}.partial`;
  writeFileSync(partial, new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer()));
  renameSync(partial, template);
  return client;
}

let database: Promise<Database> | undefined;

/** This file's database (PGlite through drizzle, typed as the Neon database the code takes). */
function fileDatabase(): Promise<Database> {
  database ??= openMigrated().then((client) => drizzle({ client, schema }) as unknown as Database);
  return database;
}

/** Like seed.ts's `withDb`; the one database stays open for the file's other tests. */
export async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  return fn(await fileDatabase());
}
