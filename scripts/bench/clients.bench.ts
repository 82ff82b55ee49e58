// Benchmark: the senders' throughput from one process (events/s at 1,000-event batches,
// 20 numeric features), from the first log() to flush() returning with every batch
// stored, and the events Vigil counted. TypeScript SDK (this process) and Python client
// (Debian's python3, clients/python/benchmarks/throughput.py) against one npm start.
//   node scripts/bench/clients.bench.ts [--events 100000]
// Prints Markdown; results are recorded in docs/benchmarks.md under "Senders".
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Vigil } from "@vigil/client";
import { launchStack } from "../testing/stack.ts";

const { values } = parseArgs({ options: { events: { type: "string", default: "100000" } } });
const N = Number(values.events);
const stack = await launchStack();

async function counted(model: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  let events = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.base}/v1/models/${model}/versions/v1/live`, { headers: { authorization: `Bearer ${stack.adminKey}` } }).catch(() => null);
    if (res?.ok) events = ((await res.json()) as { totals: { events: number } }).totals.events;
    if (events >= N) return events;
    await new Promise((r) => setTimeout(r, 250));
  }
  return events;
}

try {
  const rows = Array.from({ length: 1_000 }, (_, r) => Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, ((r * 31 + j * 7) % 997) / 10])));
  const model = `bench-ts-${Date.now().toString(36)}`;
  const vigil = new Vigil({ url: stack.base, apiKey: stack.adminKey, batchSize: 1_000, maxQueue: N + 1, flushOnExit: false });
  const now = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) void vigil.log({ model, version: "v1", predictionId: `p${i}`, timestamp: now, features: rows[i % 1_000]!, prediction: i % 2, score: 0.5 });
  const logged = performance.now();
  await vigil.flush();
  const total = (performance.now() - t0) / 1_000;
  await vigil.close();
  const ts = { events: N, log_s: (logged - t0) / 1_000, total_s: total, events_per_s: Math.round(N / total), ...vigil.stats(), counted: await counted(model) };

  const py = JSON.parse(
    execFileSync("/usr/bin/python3", [fileURLToPath(new URL("../../clients/python/benchmarks/throughput.py", import.meta.url)), String(N), "20"], {
      env: { ...process.env, VIGIL_URL: stack.base, VIGIL_API_KEY: stack.adminKey },
      encoding: "utf8",
    }),
  ) as { model: string; python: string; events_per_s: number; log_s: number; total_s: number; delivered: number; failed: number; retries: number };
  const pyCounted = await counted(py.model);

  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; Node ${process.version}, Python ${py.python}; ${N.toLocaleString("en")} events × 20 features, 1,000-event batches\n`);
  console.log("| client | log() of all events | until flush() returns | events/s | delivered | failed | retries | counted by Vigil |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  console.log(`| TypeScript SDK | ${ts.log_s.toFixed(2)} s | ${ts.total_s.toFixed(2)} s | ${ts.events_per_s.toLocaleString("en")} | ${ts.delivered} | ${ts.failed} | ${ts.retries} | ${ts.counted} |`);
  console.log(`| Python client | ${py.log_s.toFixed(2)} s | ${py.total_s.toFixed(2)} s | ${py.events_per_s.toLocaleString("en")} | ${py.delivered} | ${py.failed} | ${py.retries} | ${pyCounted} |`);
} catch (error) {
  console.error(`benchmark failed: ${String(error)}\n--- stack output (tail) ---\n${stack.output().slice(-3_000)}`);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
