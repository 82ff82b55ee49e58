// `npm start`: the whole platform on one machine with no external services.
//   1. Postgres: embedded PGlite (data in .data/pglite), or DATABASE_URL when set
//   2. the Neon relay (WebSocket → TCP) so the Neon driver inside workerd reaches it
//   3. drizzle migrations
//   4. the dashboard build and `wrangler dev` (Worker, ModelMonitor, assets)
//   5. prints the URLs and a fresh bootstrap admin key
//   6. Ctrl-C stops everything, children first, and leaves no process behind
import { randomBytes } from "node:crypto";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";
import { BOOTSTRAP_ADMIN_EMAIL, bootstrapLocalOrg } from "./lib/bootstrap.ts";
import { applyMigrations } from "./lib/migrate.ts";
import { startNeonRelay, type Relay } from "./lib/neon-relay.ts";
import { freePort } from "./lib/ports.ts";
import { spawnGroup, stopGroup, waitForLine, type Managed } from "./lib/processes.ts";
import { waitForHealth } from "./lib/wait-for-health.ts";
import { startUpstashAdapter, type UpstashAdapter } from "./services/upstash-adapter.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
// Children run on this Node (22, from the node@22 devDependency under npm scripts) and
// find the project's tools first, even when the launcher was started without npm,
// since wrangler refuses to run on an older system Node.
const childPath = `${root}node_modules/.bin${delimiter}${process.env.PATH ?? ""}`;
const jsBin = (path: string) => [process.execPath, `${root}node_modules/${path}`] as const;
const port = Number(process.env.PORT ?? 8787);
// Everything local state lives under one git-ignored folder, so a run can be pointed elsewhere.
const dataDir = process.env.VIGIL_DATA_DIR ?? `${root}.data`;
const children: Managed[] = [];
let relay: Relay | undefined;
let upstash: UpstashAdapter | undefined;

function log(message: string) {
  process.stderr.write(`[vigil] ${message}\n`);
}

async function startEmbeddedPostgres(): Promise<string> {
  const pg = spawnGroup("embedded postgres", process.execPath, [`${root}scripts/services/embedded-postgres.ts`], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, VIGIL_PGLITE_DIR: `${dataDir}/pglite` },
  });
  children.push(pg);
  const [, pgPort] = await waitForLine(pg, /READY (\d+)/, 60_000);
  return `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
}

async function buildDashboard() {
  const [node, viteJs] = jsBin("vite/bin/vite.js");
  const vite = spawnGroup("vite build", node, [viteJs, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PATH: childPath },
  });
  children.push(vite);
  const code = await vite.exited;
  children.splice(children.indexOf(vite), 1);
  if (code !== 0) throw new Error(`dashboard build failed (exit ${code})`);
}

async function main() {
  const external = process.env.DATABASE_URL;
  log(external ? "using Postgres from DATABASE_URL" : `starting embedded Postgres (PGlite, data in ${dataDir}/pglite)`);
  const databaseUrl = external ?? (await startEmbeddedPostgres());
  const target = new URL(databaseUrl);

  relay = await startNeonRelay({ target: { host: target.hostname, port: Number(target.port || 5432) } });
  log(`neon relay listening on ws://${relay.proxy}`);

  await applyMigrations(databaseUrl);
  log("migrations applied");
  const boot = await bootstrapLocalOrg(databaseUrl);
  // May create orgs (POST /v1/orgs); fresh each start unless given.
  const instanceAdminToken = process.env.INSTANCE_ADMIN_TOKEN ?? randomBytes(32).toString("base64url");

  // Optional sinks: a real Upstash endpoint passes straight through; a plain REDIS_URL
  // gets the local Upstash REST adapter in front of it.
  const sinkVars: string[] = [];
  if (process.env.UPSTASH_REDIS_REST_URL) {
    sinkVars.push(`UPSTASH_REDIS_REST_URL:${process.env.UPSTASH_REDIS_REST_URL}`, `UPSTASH_REDIS_REST_TOKEN:${process.env.UPSTASH_REDIS_REST_TOKEN ?? ""}`);
  } else if (process.env.REDIS_URL) {
    upstash = await startUpstashAdapter({ redisUrl: process.env.REDIS_URL });
    log(`Upstash REST adapter for ${process.env.REDIS_URL} on ${upstash.url}`);
    sinkVars.push(`UPSTASH_REDIS_REST_URL:${upstash.url}`, `UPSTASH_REDIS_REST_TOKEN:${upstash.token}`);
  }
  for (const name of ["KAFKA_REST_URL", "KAFKA_REST_API", "KAFKA_CLUSTER_ID"]) {
    if (process.env[name]) sinkVars.push(`${name}:${process.env[name]}`);
  }
  // Local development: alert channels may point at http:// and loopback receivers; links use this origin.
  sinkVars.push("VIGIL_ALLOW_HTTP_WEBHOOKS:1", `VIGIL_PUBLIC_URL:http://127.0.0.1:${port}`);

  await buildDashboard();
  const wrangler = spawnGroup(
    "wrangler dev",
    process.execPath,
    [jsBin("wrangler/bin/wrangler.js")[1], "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", process.env.VIGIL_INSPECTOR_PORT ?? String(await freePort()),
      "--persist-to", `${dataDir}/wrangler`, "--show-interactive-dev-session=false",
      "--var", `DATABASE_URL:${databaseUrl}`, "--var", `NEON_WS_PROXY:${relay.proxy}`, "--var", `INSTANCE_ADMIN_TOKEN:${instanceAdminToken}`, ...sinkVars.flatMap((v) => ["--var", v])],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PATH: childPath, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    },
  );
  children.push(wrangler);
  wrangler.exited.then((code) => {
    if (!shuttingDown) {
      log(`wrangler dev exited (${code}); stopping`);
      void shutdown(1);
    }
  });

  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/v1/health`, 90_000);
  process.stdout.write(
    [
      "",
      "Vigil is running.",
      `  Dashboard     ${base}/`,
      `  API           ${base}/v1/health`,
      `  API docs      ${base}/docs  (ReDoc: ${base}/redoc)`,
      `  Live socket   ws://127.0.0.1:${port}/parties/model-monitor/<model>:<version>`,
      `  Postgres      ${external ? "DATABASE_URL" : databaseUrl.replace(/:[^:@/]+@/, ":****@")}`,
      "",
      `  Org "${boot.org.slug}" admin API key (shown once; a new one is issued each start):`,
      `    ${boot.adminKey}`,
      "",
      `  Try: curl -H "Authorization: Bearer ${boot.adminKey}" ${base}/v1/models`,
      "",
      `  Dashboard sign-in for ${BOOTSTRAP_ADMIN_EMAIL} (one-time link, valid 1 hour):`,
      `    ${base}${boot.loginPath}`,
      "",
      "  Instance admin token (creates orgs: POST /v1/orgs):",
      `    ${instanceAdminToken}`,
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log("stopping…");
  // Reverse start order: the Worker first (it holds connections), Postgres last.
  for (const child of [...children].reverse()) await stopGroup(child);
  await relay?.close();
  await upstash?.close();
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: Error) => {
  log(`failed to start: ${err.message}`);
  void shutdown(1);
});
