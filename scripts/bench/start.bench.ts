// Benchmark: how long `npm start` takes to serve a healthy /v1/health (cold = fresh
// data folder, warm = second start on the same folder), and what one health check
// costs (each opens a Neon-driver connection through the relay to Postgres).
// Run: node scripts/bench/start.bench.ts   (prints a Markdown table row set)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup } from "../lib/processes.ts";
import { waitForHealth } from "../lib/wait-for-health.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-"));

async function timeToHealthy(): Promise<{ ms: number; base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const t0 = performance.now();
  const m = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, PORT: String(port), VIGIL_DATA_DIR: dataDir },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/v1/health`, 120_000);
  return { ms: performance.now() - t0, base, stop: () => stopGroup(m) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

try {
  const cold = await timeToHealthy();
  await cold.stop();
  const warm = await timeToHealthy();
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const res = await fetch(`${warm.base}/v1/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`health ${res.status}`);
    latencies.push(performance.now() - t);
  }
  await warm.stop();
  latencies.sort((a, b) => a - b);
  console.log(`| npm start → healthy, cold (fresh data dir) | ${(cold.ms / 1000).toFixed(1)} s |`);
  console.log(`| npm start → healthy, warm (existing data dir) | ${(warm.ms / 1000).toFixed(1)} s |`);
  console.log(`| GET /v1/health (200 sequential, new Postgres connection each) p50 / p99 | ${percentile(latencies, 0.5).toFixed(1)} ms / ${percentile(latencies, 0.99).toFixed(1)} ms |`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
