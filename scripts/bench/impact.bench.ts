// Benchmark: GET …/impact over 30 days at hourly granularity on the embedded stack (npm
// start: PGlite behind the Neon relay, the Worker in wrangler dev), measured from the
// client, so the figure includes the Worker, the relay and both queries. The history is
// seeded straight into Postgres as the monitor's sink writes it: 720 hour points with
// 20 feature scores and full performance sums each (about 3 KB of ROC bins apiece), and a
// KPI reported 60 times an hour (43,200 outcomes).
//   node scripts/bench/impact.bench.ts [--runs 30]
// Prints Markdown; results are recorded in docs/benchmarks.md under "Business impact".
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { PerfState } from "../../durable/monitor/perf.ts";
import { launchStack } from "../testing/stack.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "30" } } });
const RUNS = Number(values.runs);
const HOUR = 3_600_000;
const stack = await launchStack();
const key = stack.adminKey;
const get = async (path: string) => {
  const res = await fetch(`${stack.base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

try {
  // Register the version through the API, then seed its history as the sink would.
  const reg = await fetch(`${stack.base}/v1/ingest`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "bench-impact", version: "v1", events: [{ prediction_id: "p0", features: { f0: 1 }, prediction: 0 }] }),
  });
  if (!reg.ok) throw new Error(`ingest ${reg.status}`);
  const db = new pg.Client({ connectionString: stack.postgresUrl });
  await db.connect();
  const { rows: [org] } = await db.query<{ id: string }>(`SELECT org_id AS id FROM models WHERE name = 'bench-impact'`);
  const top = Math.floor(Date.now() / HOUR) * HOUR;
  const from = top - 30 * 24 * HOUR;
  let state = 1;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  for (let h = 0; h < 720; h += 60) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let k = h; k < h + 60; k++) {
      const perf = new PerfState();
      for (let i = 0; i < 400; i++) {
        const actual = random() < 0.3 ? 1 : 0;
        const score = Math.min(1, Math.max(0, actual ? 0.7 + 0.3 * (random() - 0.5) : 0.3 + 0.3 * (random() - 0.5)));
        perf.add("classification", score >= 0.5 ? 1 : 0, actual, score);
      }
      const scores = Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, random() * 0.2]));
      const view = perf.view()!;
      const b = params.length;
      tuples.push(`($${b + 1}::uuid, 'bench-impact', 'v1', 'hour', $${b + 2}::timestamptz, 400, 400, $${b + 3}, '[]'::jsonb, $${b + 4}::jsonb, null, $${b + 5}::jsonb, $${b + 6}::jsonb, 1)`);
      params.push(org!.id, new Date(from + k * HOUR).toISOString(), random() * 0.2, JSON.stringify(scores), JSON.stringify(view.metrics), JSON.stringify(perf.toJSON()));
    }
    await db.query(`INSERT INTO monitor_series (org_id, model, version, granularity, t, rows, labeled, drift_share, drifted, feature_scores, prediction_score, metrics, perf, revision) VALUES ${tuples.join(",")}`, params);
  }
  for (let h = 0; h < 720; h += 24) {
    const params: unknown[] = [org!.id];
    const tuples: string[] = [];
    for (let k = h; k < h + 24; k++) {
      for (let i = 0; i < 60; i++) {
        tuples.push(`($1::uuid, 'bench-impact', $${params.length + 1}::timestamptz, 'conversion', $${params.length + 2}, 'seed-${k}')`);
        params.push(new Date(from + k * HOUR + i * 60_000).toISOString(), 0.5 + 0.1 * (random() - 0.5));
      }
    }
    await db.query(`INSERT INTO business_outcomes (org_id, model, at, kpi, value, batch_id) VALUES ${tuples.join(",")}`, params);
  }
  // The same two reads straight against Postgres, to tell database time from the Worker's.
  const sqlTime = async (text: string, params: unknown[]) => {
    const ms: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      await db.query(text, params);
      if (i > 0) ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return ms[Math.floor(RUNS / 2)]!;
  };
  const sqlSeries = await sqlTime(
    `SELECT t, rows, labeled, drift_share, drifted, prediction_score, metrics FROM monitor_series WHERE org_id = $1 AND model = 'bench-impact' AND version = 'v1' AND granularity = 'hour' AND t >= $2 AND t < $3 ORDER BY t`,
    [org!.id, new Date(from), new Date(top)],
  );
  const sqlKpi = await sqlTime(
    `SELECT (floor(extract(epoch from at) / 3600) * 3600)::float8, avg(value)::float8 FROM business_outcomes WHERE org_id = $1 AND model = 'bench-impact' AND kpi = 'conversion' AND at >= $2 AND at < $3 AND (version = 'v1' OR version IS NULL) GROUP BY 1`,
    [org!.id, new Date(from), new Date(top)],
  );
  await db.end();

  const q = (metric: string, granularity = "hour") =>
    `/v1/models/bench-impact/versions/v1/impact?kpi=conversion&metric=${metric}&granularity=${granularity}&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(top).toISOString())}`;
  const time = async (path: string) => {
    const body = await get(path); // warm: the isolate's caches and the first connection
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await get(path);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { n: body.n as number, p50: ms[Math.floor(RUNS / 2)]!, p95: ms[Math.floor(RUNS * 0.95)]!, max: ms[RUNS - 1]! };
  };
  const cases = [
    ["accuracy, hour", q("accuracy")],
    ["drift_share, hour", q("drift_share")],
    ["roc_auc, day (hours merged)", q("roc_auc", "day")],
    ["events, hour", `/v1/models/bench-impact/versions/v1/impact/events?kpi=conversion&granularity=hour&from=${encodeURIComponent(new Date(from).toISOString())}`],
  ] as const;
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; Node ${process.version}; embedded PGlite via npm start; ${RUNS} runs each after one warm-up\n`);
  console.log("| query (30 days) | aligned points | p50 | p95 | max |");
  console.log("|---|---:|---:|---:|---:|");
  const kpis = await time(`/v1/models/bench-impact/versions/v1/impact/kpis`);
  console.log(`| (a one-query route, …/impact/kpis, for the fixed cost) | — | ${kpis.p50.toFixed(0)} ms | ${kpis.p95.toFixed(0)} ms | ${kpis.max.toFixed(0)} ms |`);
  console.log(`| SQL alone: 720 hour points (no perf, no scores) | — | ${sqlSeries.toFixed(0)} ms | | |`);
  console.log(`| SQL alone: KPI per hour over 43,200 outcomes | — | ${sqlKpi.toFixed(0)} ms | | |`);
  for (const [name, path] of cases) {
    const r = await time(path);
    console.log(`| ${name} | ${r.n ?? "—"} | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${r.max.toFixed(0)} ms |`);
  }
} catch (error) {
  console.error(`benchmark failed: ${String(error)}\n--- stack output (tail) ---\n${stack.output().slice(-3_000)}`);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
