// Opens the embedded Postgres's data folder. A new folder would run initdb inside WASM,
// which takes 6-7 s on these machines (most of `npm start`'s first seconds, and of every
// end-to-end test's fresh stack); loading a tarball of a cluster that initdb just made
// takes about 1.4 s (docs/benchmarks.md, "Test suite duration"). So the first fresh start
// keeps such a tarball, untouched by any client, in node_modules/.cache, keyed by PGlite's
// version (its on-disk format follows Postgres's), and later fresh starts load it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";

export type PGliteSource = "existing" | "template" | "initdb";

export interface OpenedPGlite {
  db: PGlite;
  /** Where the cluster came from: the folder's own files, the cached template, or a fresh initdb. */
  source: PGliteSource;
}

/** A data folder holds a cluster once initdb has written PG_VERSION into it. */
function hasCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}

export function templatePath(cacheDir: string, pgliteVersion: string): string {
  return join(cacheDir, `pglite-${pgliteVersion}-initdb.tar`);
}

/**
 * Opens PGlite on `dataDir`, creating the cluster from the template in `cacheDir` when the
 * folder has none. A template that will not load (truncated, or from a build with the same
 * version string but another format) is deleted and initdb runs as if there were none, so a
 * bad cache can cost time but never a start.
 */
export async function openPGlite(dataDir: string, cacheDir: string, pgliteVersion: string): Promise<OpenedPGlite> {
  mkdirSync(dataDir, { recursive: true });
  if (hasCluster(dataDir)) return { db: await PGlite.create({ dataDir }), source: "existing" };
  const template = templatePath(cacheDir, pgliteVersion);
  if (existsSync(template)) {
    try {
      const db = await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(template)]) });
      await db.query("select 1");
      return { db, source: "template" };
    } catch (err) {
      process.stderr.write(`embedded postgres: the cached cluster ${template} did not load (${(err as Error).message}); running initdb\n`);
      rmSync(template, { force: true });
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
    }
  }
  const db = await PGlite.create({ dataDir });
  await saveTemplate(db, template);
  return { db, source: "initdb" };
}

/**
 * Keeps a copy of the cluster initdb just made, before any client has connected. Written
 * to a temporary name and renamed, so a start running at the same moment (parallel tests)
 * reads a whole file or none. Failing to save only costs the next start its initdb.
 */
async function saveTemplate(db: PGlite, template: string): Promise<void> {
  try {
    const dump = await db.dumpDataDir("none");
    mkdirSync(dirname(template), { recursive: true });
    const partial = `${template}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, template);
  } catch (err) {
    process.stderr.write(`embedded postgres: could not cache the new cluster (${(err as Error).message})\n`);
  }
}
