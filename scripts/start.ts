// `npm start`: the whole platform on one machine with no external services.
//   1. Postgres: embedded PGlite (data in .data/pglite), or DATABASE_URL when set
//   2. the Neon relay (WebSocket → TCP) so the Neon driver inside workerd reaches it
//   3. drizzle migrations
//   4. the dashboard build and `wrangler dev` (Worker, ModelMonitor, assets)
//   5. prints the URLs and a fresh bootstrap admin key, once the Worker answers
//   6. Ctrl-C stops everything, children first, and leaves no process behind
// The port is checked before anything starts: otherwise whatever holds it (often an
// earlier `npm start`) would answer the health check and this run would claim success.
// Secrets never go on a command line, which every local user can read in `ps`: the
// embedded Postgres gets its per-start password through its environment, wrangler gets
// DATABASE_URL, INSTANCE_ADMIN_TOKEN and sink credentials from a 0600 file
// (`--env-file`, scripts/lib/local-secrets.ts), removed again on stop.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { delimiter, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BOOTSTRAP_ADMIN_EMAIL, bootstrapLocalOrg } from "./lib/bootstrap.ts";
import { localDataDir, writeAdminKey, writeWorkerSecrets } from "./lib/local-secrets.ts";
import { applyMigrations } from "./lib/migrate.ts";
import { startNeonRelay, type Relay } from "./lib/neon-relay.ts";
import { assertPortFree, freePort } from "./lib/ports.ts";
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
const dataDir = localDataDir();
const children: Managed[] = [];
let relay: Relay | undefined;
let upstash: UpstashAdapter | undefined;
let secretsFile: string | undefined;

/** A path as the user can type it from the project folder. */
function shown(path: string): string {
  const rel = relative(root, path);
  return rel.startsWith("..") ? path : rel;
}

function log(message: string) {
  process.stderr.write(`[vigil] ${message}\n`);
}

/** Starts PGlite behind a socket that asks for a password made up for this start. */
async function startEmbeddedPostgres(): Promise<string> {
  const password = randomBytes(24).toString("hex");
  const pg = spawnGroup("embedded postgres", process.execPath, [`${root}scripts/services/embedded-postgres.ts`], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, VIGIL_PGLITE_DIR: `${dataDir}/pglite`, VIGIL_PGLITE_PASSWORD: password },
  });
  children.push(pg);
  const [, pgPort] = await waitForLine(pg, /READY (\d+)/, 60_000);
  return `postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres`;
}

/**
 * Builds the dashboard into this start's own folder, served with `wrangler dev --assets`. Not
 * into web/dist: wrangler dev watches its assets folder and reloads the Worker when it changes,
 * so a second `npm start` rebuilding a shared folder restarted every running stack's Worker and
 * Durable Objects mid-request (parallel e2e tests saw 503 "Your worker restarted mid-request",
 * closed live sockets and lost in-memory counters).
 */
async function buildDashboard(outDir: string) {
  const [node, viteJs] = jsBin("vite/bin/vite.js");
  const vite = spawnGroup("vite build", node, [viteJs, "build", "--config", "web/vite.config.ts", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PATH: childPath },
  });
  children.push(vite);
  const code = await vite.exited;
  children.splice(children.indexOf(vite), 1);
  if (code !== 0) throw new Error(`dashboard build failed (exit ${code})`);
}

/** Printed when the port turned out to be another server's; scripts/testing/stack.ts retries on it. */
const PORT_TAKEN = "another server answers on";

/**
 * The health answer may come from another server that took the port between the check and
 * wrangler's bind (two starts racing for one free port, as parallel tests do): ours is the one
 * that knows the admin key this start just issued.
 */
async function assertOwnWorker(base: string, adminKey: string): Promise<void> {
  const res = await fetch(`${base}/v1/models?limit=1`, { headers: { authorization: `Bearer ${adminKey}` } });
  await res.body?.cancel();
  if (res.status === 401) throw new Error(`${PORT_TAKEN} ${base}: it does not know the admin key this start issued (the port was taken after the check)`);
}

async function main() {
  await assertPortFree(port);
  // The folder holds the database files, the Durable Objects' SQLite and the secret files:
  // its owner's alone, whatever the umask made of it.
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  const external = process.env.DATABASE_URL;
  log(external ? "using Postgres from DATABASE_URL" : `starting embedded Postgres (PGlite, data in ${dataDir}/pglite)`);
  const databaseUrl = external ?? (await startEmbeddedPostgres());
  const target = new URL(databaseUrl);

  relay = await startNeonRelay({ target: { host: target.hostname, port: Number(target.port || 5432) } });
  log(`neon relay listening on ws://${relay.proxy}`);

  await applyMigrations(databaseUrl);
  log("migrations applied");
  const boot = await bootstrapLocalOrg(databaseUrl);
  const adminKeyFile = writeAdminKey(dataDir, boot.adminKey);
  // May create orgs (POST /v1/orgs); fresh each start unless given.
  const instanceAdminToken = process.env.INSTANCE_ADMIN_TOKEN ?? randomBytes(32).toString("base64url");

  // Secrets reach the Worker through the 0600 file, plain settings through --var.
  const secrets: Record<string, string> = { DATABASE_URL: databaseUrl, INSTANCE_ADMIN_TOKEN: instanceAdminToken };
  // Optional sinks: a real Upstash endpoint passes straight through; a plain REDIS_URL
  // gets the local Upstash REST adapter in front of it.
  if (process.env.UPSTASH_REDIS_REST_URL) {
    secrets.UPSTASH_REDIS_REST_URL = process.env.UPSTASH_REDIS_REST_URL;
    secrets.UPSTASH_REDIS_REST_TOKEN = process.env.UPSTASH_REDIS_REST_TOKEN ?? "";
  } else if (process.env.REDIS_URL) {
    upstash = await startUpstashAdapter({ redisUrl: process.env.REDIS_URL });
    log(`Upstash REST adapter on ${upstash.url}`);
    secrets.UPSTASH_REDIS_REST_URL = upstash.url;
    secrets.UPSTASH_REDIS_REST_TOKEN = upstash.token;
  }
  // A REST proxy URL may carry credentials (https://user:pass@…).
  if (process.env.KAFKA_REST_URL) secrets.KAFKA_REST_URL = process.env.KAFKA_REST_URL;
  for (const name of ["KAFKA_REST_USERNAME", "KAFKA_REST_PASSWORD", "KAFKA_REST_TOKEN"]) {
    if (process.env[name]) secrets[name] = process.env[name];
  }
  const plainVars = [`NEON_WS_PROXY:${relay.proxy}`];
  for (const name of ["KAFKA_REST_API", "KAFKA_CLUSTER_ID"]) {
    if (process.env[name]) plainVars.push(`${name}:${process.env[name]}`);
  }
  // OpenTelemetry export (docs/observability.md): headers may carry credentials, so they travel as secrets.
  for (const name of ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"]) {
    if (process.env[name]) secrets[name] = process.env[name];
  }
  for (const name of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"]) {
    if (process.env[name]) plainVars.push(`${name}:${process.env[name]}`);
  }
  // Local development: alert channels may point at http:// and loopback receivers; links use this origin.
  plainVars.push("VIGIL_ALLOW_HTTP_WEBHOOKS:1", `VIGIL_PUBLIC_URL:http://127.0.0.1:${port}`);
  secretsFile = writeWorkerSecrets(dataDir, secrets);

  const dashboardDir = `${dataDir}/dashboard`;
  await buildDashboard(dashboardDir);
  const wrangler = spawnGroup(
    "wrangler dev",
    process.execPath,
    [jsBin("wrangler/bin/wrangler.js")[1], "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", process.env.VIGIL_INSPECTOR_PORT ?? String(await freePort()),
      "--persist-to", `${dataDir}/wrangler`, "--assets", dashboardDir, "--show-interactive-dev-session=false",
      "--env-file", secretsFile, ...plainVars.flatMap((v) => ["--var", v])],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        PATH: childPath,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        // The env file becomes the Worker's secrets; the launcher's own environment must not.
        CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "true",
        CLOUDFLARE_INCLUDE_PROCESS_ENV: "false",
      },
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
  // The banner waits for our Worker's answer; should wrangler die first (the port was
  // taken after the check), that is a failure, not a success answered by someone else.
  let answered = false;
  const wranglerDied = new Promise<never>((_, reject) => {
    void wrangler.exited.then((code) => answered || reject(new Error(`wrangler dev exited (${code}) before the Worker answered on ${base}`)));
  });
  await Promise.race([waitForHealth(`${base}/v1/health`, 90_000), wranglerDied]);
  await assertOwnWorker(base, boot.adminKey);
  answered = true;
  // Retention also runs at start (every org's stores pruned to its policy, as the daily
  // cron does; workers/scheduled/): wrangler dev fires the Worker's scheduled handler here.
  void fetch(`${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("@start")}`).catch((error: Error) => log(`retention at start could not run: ${error.message}`));
  // wrangler dev does not fire cron triggers on its own: report schedules (the "* * * * *"
  // trigger, workers/reports/schedules/) are run from here, once a minute on the minute.
  const everyMinute = () => void fetch(`${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`).catch((error: Error) => log(`report schedules could not run: ${error.message}`));
  setTimeout(() => {
    everyMinute();
    setInterval(everyMinute, 60_000).unref();
  }, 60_000 - (Date.now() % 60_000)).unref();
  process.stdout.write(
    [
      "",
      "Vigil is running.",
      `  Dashboard     ${base}/`,
      `  API           ${base}/v1/health`,
      `  API docs      ${base}/docs  (ReDoc: ${base}/redoc)`,
      `  Live socket   ws://127.0.0.1:${port}/parties/model-monitor/<model>:<version>`,
      `  Postgres      ${external ? "DATABASE_URL" : `${databaseUrl.replace(/:[^:@/]+@/, ":****@")}  (password: DATABASE_URL in ${shown(secretsFile)})`}`,
      "",
      `  Org "${boot.org.slug}" admin API key (a new one is issued each start; also in ${shown(adminKeyFile)},`,
      "  where `npm run demo` finds it):",
      `    ${boot.adminKey}`,
      "",
      `  Try: export VIGIL_KEY=$(cat ${shown(adminKeyFile)})`,
      `       curl -H "Authorization: Bearer $VIGIL_KEY" ${base}/v1/models`,
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
  // This start's database password and instance token are dead now; do not leave them on disk.
  if (secretsFile) rmSync(secretsFile, { force: true });
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: Error) => {
  log(`failed to start: ${err.message}`);
  void shutdown(1);
});
