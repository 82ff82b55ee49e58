// Embedded Postgres for `npm start`: PGlite (Postgres compiled to WASM) behind a
// Postgres wire socket, with its data in a project folder so it survives restarts.
// Run as its own process so PGlite's single-threaded work never stalls the launcher.
// Prints one line `READY <port>` on stdout when it accepts connections; exits
// cleanly (closing the database files) on SIGINT, SIGTERM, or when stdin closes,
// which is what happens if the launcher dies.
// With VIGIL_PGLITE_PASSWORD set (npm start sets a random one each start, through the
// environment rather than argv, which other users can read in `ps`), clients must prove
// that password (SCRAM-SHA-256); PGlite itself would admit anyone.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startPGliteSessionServer } from "./pglite-session-server.ts";
import { openPGlite } from "./pglite-template.ts";

const dataDir = process.env.VIGIL_PGLITE_DIR ?? ".data/pglite";
const port = Number(process.env.VIGIL_PGLITE_PORT ?? 0);
// All client connections share the one PGlite session, taking turns a whole
// exchange (pipeline or transaction) at a time (see pglite-session-server.ts); a
// handful is enough for the Worker's per-request pools and the launcher.
const maxConnections = Number(process.env.VIGIL_PGLITE_MAX_CONNECTIONS ?? 16);
const password = process.env.VIGIL_PGLITE_PASSWORD || undefined;
delete process.env.VIGIL_PGLITE_PASSWORD;

const root = new URL("../../", import.meta.url);
const pgliteVersion = (JSON.parse(readFileSync(new URL("node_modules/@electric-sql/pglite/package.json", root), "utf8")) as { version: string }).version;
const { db } = await openPGlite(dataDir, fileURLToPath(new URL("node_modules/.cache/vigil", root)), pgliteVersion);
const server = await startPGliteSessionServer({ db, port, host: "127.0.0.1", maxConnections, password });
process.stdout.write(`READY ${server.port}\n`);

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`embedded postgres: stopping (${reason})\n`);
  try {
    await server.close();
    await db.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
process.stdin.on("end", () => void stop("parent went away"));
process.stdin.resume();
