// Postgres unavailable for 60 s during ingest. The stack runs against a fresh database
// on the real Postgres (127.0.0.1:5432, or VIGIL_TEST_PG) through a TCP proxy that this
// script cuts and restores. Checks: every ingest request during the run is a 2xx, and
// after recovery the 5m aggregate and feature-score series in Postgres have a point in
// every minute of the run (the outbox held them while Postgres was away).
//   node scripts/reliability/postgres-outage.ts [--before 75] [--outage 60] [--after 75]
import pg from "pg";
import { droppableProxy } from "../e2e/proxy.ts";
import { parseArgs } from "node:util";
import { launchStack } from "../testing/stack.ts";

const { values: flags } = parseArgs({
  options: { before: { type: "string", default: "75" }, outage: { type: "string", default: "60" }, after: { type: "string", default: "75" } },
});
const BEFORE_S = Number(flags.before);
const OUTAGE_S = Number(flags.outage);
const AFTER_S = Number(flags.after);
const MODEL = "pg-outage";
/** The monitor writes a point per window at most every 5 s (OUTBOX_EVERY_MS); allow for a loaded machine. */
const MAX_GAP_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = new URL(process.env.VIGIL_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/postgres");
const dbName = `vigil_pg_outage_${Date.now()}`;
const admin = new pg.Client({ connectionString: server.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const direct = new URL(server);
direct.pathname = `/${dbName}`;

const proxy = await droppableProxy(Number(server.port || 5432));
const viaProxy = new URL(direct);
viaProxy.port = String(proxy.port);
const stack = await launchStack({ DATABASE_URL: viaProxy.toString() }, 240_000);
console.log(`stack up at ${stack.base}, Postgres ${dbName} through proxy :${proxy.port}`);

const statuses = new Map<string, number>();
let acceptedEvents = 0;
let phase = "before";
const t0 = Date.now();
const end = t0 + (BEFORE_S + OUTAGE_S + AFTER_S) * 1000;
const outageFrom = t0 + BEFORE_S * 1000;
const outageTo = outageFrom + OUTAGE_S * 1000;
const bad: string[] = [];
for (let j = 0; Date.now() < end; j++) {
  const now = Date.now();
  if (phase === "before" && now >= outageFrom) {
    proxy.drop();
    phase = "outage";
    console.log(`${new Date().toISOString()} Postgres cut`);
  } else if (phase === "outage" && now >= outageTo) {
    proxy.restore();
    phase = "after";
    console.log(`${new Date().toISOString()} Postgres back`);
  }
  const res = await fetch(`${stack.base}/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: MODEL, version: "v1", batch_id: `pgo-${j}`,
      events: Array.from({ length: 200 }, (_, i) => ({ prediction_id: `pgo-${j}-${i}`, features: { x: (j + i) % 53, g: `g${i % 4}` }, prediction: i % 2 })),
    }),
    signal: AbortSignal.timeout(30_000),
  }).catch((e: Error) => ({ status: 0, json: async () => ({ error: e.message }) }));
  const key = `${phase} ${res.status}`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
  if (res.status === 200) acceptedEvents += ((await res.json()) as { accepted: number }).accepted;
  else bad.push(`${phase} batch ${j}: ${res.status} ${JSON.stringify(await res.json()).slice(0, 200)}`);
  await sleep(Math.max(0, 500 - (Date.now() - now)));
}
const runFrom = t0;
const runTo = Date.now();
console.log(`ingest statuses by phase: ${[...statuses].map(([k, n]) => `${k}×${n}`).join(", ")}; ${acceptedEvents} events accepted`);

// Let the outbox drain into Postgres, then look for minutes without a point.
const client = new pg.Client({ connectionString: direct.toString() });
await client.connect();
// Points may land up to MAX_GAP_MS after the last ingest: a run that ends a second into a
// minute has its last point (one every 5 s) a few seconds later, in that minute or the next.
const minutes = async (table: string) =>
  (await client.query(`SELECT DISTINCT floor(extract(epoch FROM at) / 60)::bigint AS m FROM ${table} WHERE model = $1 AND "window" = '5m' AND at BETWEEN $2 AND $3 ORDER BY m`, [MODEL, new Date(runFrom), new Date(runTo + MAX_GAP_MS)])).rows.map((r: { m: string }) => Number(r.m));
const expected: number[] = [];
for (let m = Math.floor(runFrom / 60_000); m <= Math.floor((runTo - 1) / 60_000); m++) expected.push(m);
let missing: { aggregates: number[]; scores: number[] } = { aggregates: expected, scores: expected };
const drainBy = Date.now() + 120_000;
let outbox = -1;
while (Date.now() < drainBy) {
  const stats = await fetch(`${stack.base}/v1/models/${MODEL}/versions/v1/monitor-stats`, { headers: { authorization: `Bearer ${stack.adminKey}` } }).then((r) => r.json() as Promise<{ outbox: number }>).catch(() => null);
  outbox = stats?.outbox ?? -1;
  const agg = new Set(await minutes("monitor_aggregates"));
  const sc = new Set(await minutes("feature_scores"));
  missing = { aggregates: expected.filter((m) => !agg.has(m)), scores: expected.filter((m) => !sc.has(m)) };
  if (outbox === 0 && missing.aggregates.length === 0 && missing.scores.length === 0) break;
  await sleep(2_000);
}
const points = (await client.query(`SELECT at FROM monitor_aggregates WHERE model = $1 AND "window" = '5m' ORDER BY at`, [MODEL])).rows.map((r: { at: Date }) => r.at.getTime());
let maxGap = 0;
let maxGapAt = 0;
for (let i = 1; i < points.length; i++) {
  if (points[i]! - points[i - 1]! > maxGap) [maxGap, maxGapAt] = [points[i]! - points[i - 1]!, points[i - 1]!];
}
const inOutage = points.filter((p) => p >= outageFrom && p <= outageTo).length;
const counts = (await client.query(`SELECT (SELECT count(*) FROM monitor_aggregates WHERE model = $1) AS aggregates, (SELECT count(*) FROM feature_scores WHERE model = $1) AS scores`, [MODEL])).rows[0] as { aggregates: string; scores: string };
await client.end();
const fmt = (ms: number[]) => ms.map((m) => new Date(m * 60_000).toISOString().slice(11, 16)).join(" ") || "none";
console.log(`minutes in the run: ${expected.length} (${fmt([expected[0]!])}–${fmt([expected[expected.length - 1]!])} UTC); outbox rows waiting: ${outbox}`);
console.log(`rows in Postgres: monitor_aggregates ${counts.aggregates}, feature_scores ${counts.scores}`);
console.log(`minutes without a 5m aggregate: ${fmt(missing.aggregates)}; without feature scores: ${fmt(missing.scores)}`);
console.log(`5m points: ${points.length}, ${inOutage} of them timed inside the outage; largest gap between consecutive points ${(maxGap / 1000).toFixed(1)} s (after ${new Date(maxGapAt).toISOString().slice(11, 19)})`);
if (bad.length) console.log(`non-2xx replies:\n${bad.slice(0, 20).join("\n")}`);
const ok = bad.length === 0 && maxGap <= MAX_GAP_MS && inOutage > 0 && missing.aggregates.length === 0 && missing.scores.length === 0 && outbox === 0;
console.log(ok ? "PASS: ingest stayed 2xx and the Postgres series has no gaps" : "FAIL");
if (!ok) console.log(`stack errors:\n${stack.output().split("\n").filter((l) => /error|unavailable|reload/i.test(l)).slice(0, 40).join("\n")}`);
await stack.stop();
await proxy.close();
const drop = new pg.Client({ connectionString: server.toString() });
await drop.connect();
await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
await drop.end();
process.exitCode = ok ? 0 : 1;
