// The services workerd tests talk to, run as a plain Node process beside vitest
// (vitest transforms its global setup with the Worker's resolve conditions, under
// which Node-only packages like ws load their browser stubs).
// Reads the plan from VIGIL_TEST_PLAN, prints `READY` when everything is up, and
// on SIGTERM/SIGINT or a closed stdin tears down (dropping the per-run database).
import pg from "pg";
import { applyMigrations } from "../lib/migrate.ts";
import { startNeonRelay } from "../lib/neon-relay.ts";
import { startUpstashAdapter } from "../services/upstash-adapter.ts";
import { UPSTASH_TEST_TOKEN, type TestServicesPlan } from "./test-services-plan.ts";

const plan = JSON.parse(process.env.VIGIL_TEST_PLAN ?? "null") as TestServicesPlan | null;
if (!plan) throw new Error("VIGIL_TEST_PLAN is not set");

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: plan!.adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const stops: Array<() => Promise<unknown>> = [];
const dbName = new URL(plan.databaseUrl).pathname.slice(1);

if (plan.postgres === "server") {
  await withAdmin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  stops.push(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)));
} else {
  const { PGlite } = await import("@electric-sql/pglite");
  const { startPGliteSessionServer } = await import("../services/pglite-session-server.ts");
  const db = await PGlite.create();
  const server = await startPGliteSessionServer({ db, port: Number(new URL(plan.databaseUrl).port), host: "127.0.0.1", maxConnections: 16 });
  stops.push(async () => {
    await server.close();
    await db.close();
  });
}
await applyMigrations(plan.databaseUrl);

const target = new URL(plan.databaseUrl);
const relay = await startNeonRelay({ target: { host: target.hostname, port: Number(target.port || 5432) }, port: plan.relayPort });
stops.push(() => relay.close());

if (plan.redisUrl) {
  const upstash = await startUpstashAdapter({ redisUrl: plan.redisUrl, port: plan.upstashPort, token: UPSTASH_TEST_TOKEN });
  stops.push(() => upstash.close());
}

process.stdout.write("READY\n");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const s of stops.reverse()) {
    try {
      await s();
    } catch (err) {
      process.stderr.write(`test services: teardown step failed: ${(err as Error).message}\n`);
    }
  }
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
