// Benchmark: a drift report for a 50-feature model version (40 numerical, 10
// categorical) over its last 24 hours, generated as PDF, HTML and JSON on the embedded
// stack (npm start: the Worker in wrangler dev, PGlite behind the Neon relay), timed from
// the client (POST /v1/reports answers when the file is stored), so the figure includes
// gathering (the monitor's sketches merged over the range, the history read from
// Postgres), rendering, hashing and storing. Targets (issue 16): under 3 s for PDF and
// for HTML, and the PDF under 2 MB. The PDF is also checked with pdftotext (poppler): its
// text must carry every feature's name, the content hash and the page numbers.
//
// Data: a 2,000-row baseline uploaded through the API; 24,000 events ingested through the
// API with timestamps spread over the last 24 hours, the last 6 hours shifted on 10
// features; and the monitor's history as its Postgres sink writes it (a 1h-window point
// per minute for 24 hours: 1,440 aggregate rows and 72,000 feature scores).
//   node scripts/bench/reports.bench.ts [--runs 5]
// Prints Markdown; results are recorded in docs/benchmarks.md under "Reports".
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { launchStack } from "../testing/stack.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(values.runs);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MODEL = "bench-reports";
const NUMERICAL = Array.from({ length: 40 }, (_, i) => `num_${String(i).padStart(2, "0")}`);
const CATEGORICAL = Array.from({ length: 10 }, (_, i) => `cat_${String(i).padStart(2, "0")}`);
const CITIES = ["amsterdam", "berlin", "copenhagen", "dublin", "edinburgh", "frankfurt", "geneva", "helsinki"];

let state = 7;
const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
const normal = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
function row(shift: number) {
  const r: Record<string, number | string> = {};
  NUMERICAL.forEach((f, i) => (r[f] = 100 + 10 * normal() + (i < 10 ? shift : 0)));
  CATEGORICAL.forEach((f, i) => (r[f] = CITIES[Math.floor(random() ** (i < 2 && shift ? 0.3 : 1) * CITIES.length)]!));
  return r;
}

const stack = await launchStack();
const key = stack.adminKey;
async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.base}${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, min ${s[0]!.toFixed(0)}, max ${s.at(-1)!.toFixed(0)}`;
}

try {
  const featureSchema = [...NUMERICAL.map((name) => ({ name, kind: "numerical", dtype: "float" })), ...CATEGORICAL.map((name) => ({ name, kind: "categorical", dtype: "string" }))];
  await api("POST", "/v1/models", { name: MODEL, prediction_kind: "binary" });
  await api("POST", `/v1/models/${MODEL}/versions`, { version: "v1", feature_schema: featureSchema });
  await api("PUT", `/v1/models/${MODEL}/versions/v1/baseline`, { rows: Array.from({ length: 2_000 }, () => ({ ...row(0), prediction: random() < 0.3 ? 1 : 0 })) });

  const now = Date.now();
  const start = now - 24 * HOUR;
  const t0 = performance.now();
  for (let h = 0; h < 24; h++) {
    const shift = h >= 18 ? 15 : 0;
    const events = Array.from({ length: 1_000 }, (_, i) => ({ prediction_id: `h${h}-${i}`, timestamp: new Date(start + h * HOUR + i * 3_600).toISOString(), features: row(shift), prediction: random() < 0.3 ? 1 : 0, score: random() }));
    await api("POST", "/v1/ingest", { model: MODEL, version: "v1", batch_id: `bench-${h}`, events });
  }
  const ingestSeconds = (performance.now() - t0) / 1000;

  // The history, as the Postgres sink writes it: one 1h-window point per minute.
  const db = new pg.Client({ connectionString: stack.postgresUrl });
  await db.connect();
  const { rows: [org] } = await db.query<{ id: string }>(`SELECT org_id AS id FROM models WHERE name = $1`, [MODEL]);
  const topMinute = Math.floor(now / MINUTE) * MINUTE;
  for (let m0 = 0; m0 < 1_440; m0 += 60) {
    const aggTuples: string[] = [];
    const aggParams: unknown[] = [org!.id];
    const scoreTuples: string[] = [];
    const scoreParams: unknown[] = [org!.id];
    for (let m = m0; m < m0 + 60; m++) {
      const at = new Date(topMinute - m * MINUTE).toISOString();
      const late = m < 360;
      const b = aggParams.length;
      aggTuples.push(`($1::uuid, '${MODEL}', 'v1', '1h', $${b + 1}::timestamptz, $${b + 2}::timestamptz, ${100_000 - m}, 1000, ${late ? 0.24 : 0.02}, ${late ? 12 : 1}, '{"performance":null}'::jsonb)`);
      aggParams.push(at, new Date(topMinute - (m + 60) * MINUTE).toISOString());
      for (const [j, f] of [...NUMERICAL, ...CATEGORICAL].entries()) {
        const drifted = late && (j < 10 || f === "cat_00" || f === "cat_01");
        const c = scoreParams.length;
        scoreTuples.push(`($1::uuid, '${MODEL}', 'v1', '1h', $${c + 1}::timestamptz, '${f}', '${f.startsWith("num") ? "wasserstein_normed" : "chi_square_two_sample"}', ${f.startsWith("num") ? (drifted ? 1.4 : 0.03) : drifted ? 0.001 : 0.4}, ${f.startsWith("num") ? 0.1 : 0.01}, ${drifted}, 1000)`);
        scoreParams.push(at);
      }
    }
    await db.query(`INSERT INTO monitor_aggregates (org_id, model, version, "window", at, window_from, tick, rows, drift_share, drifted_features, summary) VALUES ${aggTuples.join(",")}`, aggParams);
    await db.query(`INSERT INTO feature_scores (org_id, model, version, "window", at, feature, method, score, threshold, drifted, count) VALUES ${scoreTuples.join(",")}`, scoreParams);
  }
  await db.end();

  const body = (format: string) => ({ kind: "drift", model: MODEL, version: "v1", format, from: new Date(now - 24 * HOUR + MINUTE).toISOString(), to: new Date().toISOString() });
  const times: Record<string, number[]> = { pdf: [], html: [], json: [] };
  const reported: Record<string, number[]> = { pdf: [], html: [], json: [] };
  const sizes: Record<string, number> = {};
  const out = mkdtempSync(join(tmpdir(), "vigil-report-bench-"));
  let pdfText = "";
  let pdfHash = "";
  let dataset: any = null;
  // One warm-up of each (first requests compile the Worker's code paths), then the timed runs.
  for (const format of ["pdf", "html", "json"]) await api("POST", "/v1/reports", body(format));
  for (let run = 0; run < RUNS; run++) {
    for (const format of ["pdf", "html", "json"]) {
      const t = performance.now();
      const report = await api("POST", "/v1/reports", body(format));
      times[format]!.push(performance.now() - t);
      if (report.status !== "succeeded") throw new Error(`${format} report failed: ${report.error}`);
      reported[format]!.push(report.duration_ms);
      sizes[format] = report.size_bytes;
      if (run === 0) {
        const file = new Uint8Array(await (await fetch(`${stack.base}${report.download_url}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer());
        const path = join(out, `report.${format}`);
        writeFileSync(path, file);
        if (format === "pdf") {
          pdfText = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
          pdfHash = report.content_sha256;
        }
        if (format === "json") dataset = JSON.parse(new TextDecoder().decode(file)).data;
      }
    }
  }
  const missing = [...NUMERICAL, ...CATEGORICAL].filter((f) => !pdfText.includes(f));
  const pages = /Page 1 of (\d+)/.exec(pdfText)?.[1];
  const checks = [
    ["PDF < 2 MB", sizes.pdf! < 2 * 1024 * 1024],
    ["PDF median < 3 s", [...times.pdf!].sort((a, b) => a - b)[Math.floor(RUNS / 2)]! < 3_000],
    ["HTML median < 3 s", [...times.html!].sort((a, b) => a - b)[Math.floor(RUNS / 2)]! < 3_000],
    ["pdftotext finds all 50 feature names", missing.length === 0],
    ["pdftotext finds the content hash", pdfText.replace(/\s+/g, "").includes(pdfHash)],
    ["pdftotext finds page numbers", pages !== undefined],
  ] as const;

  console.log(`## Drift report, 50 features, 24 hours (${new Date().toISOString()})\n`);
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`Seeded: 24,000 events ingested in ${ingestSeconds.toFixed(1)} s; 1,440 history points, 72,000 feature scores.`);
  console.log(`Report: ${dataset?.dataset?.drifted_features ?? "?"} of ${dataset?.dataset?.scored_features ?? "?"} features drifted over the range (${dataset?.range_reading?.rows ?? "?"} events judged); ${dataset?.over_time?.points?.length ?? "?"} history steps.\n`);
  console.log("| Format | Client time (POST → stored), " + RUNS + " runs | Worker's own duration_ms | Size |");
  console.log("|---|---|---|---|");
  for (const f of ["pdf", "html", "json"]) console.log(`| ${f.toUpperCase()} | ${summary(times[f]!)} | ${summary(reported[f]!)} | ${(sizes[f]! / 1024).toFixed(0)} KB |`);
  console.log(`\nPDF: ${pages ?? "?"} pages; files in ${out}.\n`);
  for (const [name, ok] of checks) console.log(`- ${ok ? "PASS" : "FAIL"} ${name}${name.startsWith("pdftotext finds all") && missing.length ? ` (missing: ${missing.join(", ")})` : ""}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
} finally {
  await stack.stop();
}
