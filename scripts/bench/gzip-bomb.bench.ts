// Benchmark: decompression and parse bombs against POST /v1/ingest (issue 13, item 4).
// For each bomb: the time from sending it to the 413, and how much the Worker's workerd
// process grew while handling it (peak RSS, VmHWM after resetting it through
// /proc/<pid>/clear_refs, minus RSS before). A full 10,000-event batch is timed too, so
// the structural check's cost on real traffic shows beside it.
//
// Run from the repo root (starts its own `npm start` stack on a free port, sends straight
// to the Worker's own workerd port, bypassing wrangler dev's proxy):
//   node scripts/bench/gzip-bomb.bench.ts [--runs 5] [--compare <another checkout>]
// --compare runs the same bombs against another checkout's `npm start` (e.g. a clone at
// the commit before the fix, with its own `npm ci`), one after the other in this run.
// Prints Markdown; results are recorded in docs/benchmarks.md under "Gzip bombs".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup } from "../lib/processes.ts";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "5" }, compare: { type: "string" } } });
const RUNS = Number(flags.runs);
const here = fileURLToPath(new URL("../..", import.meta.url));

interface Body {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  gzip: boolean;
}

const gzip = (bytes: Uint8Array | string) => new Uint8Array(gzipSync(bytes));

function batch(events: string, count: number, tail: string): string {
  return `{"model":"bench-bomb","version":"v1","events":[${events.repeat(count)}${tail}]}`;
}

const BOMBS: Body[] = [
  { name: "10M empty events `{}`, gzip", bytes: gzip(batch("{},", 10_000_000 - 1, "{}")), gzip: true },
  { name: "15M numbers `1`, gzip", bytes: gzip(batch("1,", 15_000_000 - 1, "1")), gzip: true },
  { name: "2.8M empty events `{}`, 8 MB plain", bytes: new TextEncoder().encode(batch("{},", 2_790_000, "{}")), gzip: false },
];

function realBatch(size: number): Body {
  const events = Array.from({ length: size }, (_, i) => {
    const features: Record<string, unknown> = {};
    for (let f = 0; f < 20; f++) features[`f${f}`] = f % 4 === 3 ? ["north", "south", "east"][i % 3] : ((i * 7 + f * 13) % 1000) / 10;
    return { prediction_id: `p-${i}`, features, prediction: i % 2, score: (i % 100) / 100 };
  });
  return { name: `real batch, ${size.toLocaleString("en-US")} events × 20 features`, bytes: new TextEncoder().encode(JSON.stringify({ model: "bench-real", version: "v1", events })), gzip: false };
}

interface Stack {
  base: string;
  adminKey: string;
  workerPid: number;
  stop(): Promise<void>;
}

/** `npm start` of the checkout at `root`, and the Worker's own workerd (not wrangler dev's proxy). */
async function launch(root: string): Promise<Stack> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-bomb-"));
  const managed = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), VIGIL_DATA_DIR: dataDir },
  });
  let out = "";
  managed.child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  managed.child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    await stopGroup(managed, 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const t0 = Date.now(); !out.includes("Vigil is running."); await new Promise((r) => setTimeout(r, 200))) {
    if (managed.child.exitCode !== null || Date.now() - t0 > 180_000) {
      await stop();
      throw new Error(`npm start in ${root} did not come up:\n${out}`);
    }
  }
  const adminKey = /^\s+(vgl_[0-9a-f]{8}_\S+)$/m.exec(out)?.[1] ?? "";
  // Only this stack's workerd processes (descendants of its npm start): other stacks may run on the machine.
  const parent = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]);
  const ours = (pid: number): boolean => {
    for (let p = pid; p > 1; p = parent(p)) if (p === managed.child.pid) return true;
    return false;
  };
  const listening = execFileSync("ss", ["-ltnpH"]).toString().split("\n").filter((l) => l.includes('"workerd"'))
    .map((l) => ({ port: /127\.0\.0\.1:(\d+)/.exec(l)?.[1], pid: Number(/pid=(\d+)/.exec(l)?.[1]) }))
    .filter((l) => { try { return ours(l.pid); } catch { return false; } });
  const proxyPid = listening.find((l) => l.port === String(port))?.pid;
  for (const { port: p, pid } of listening) {
    if (p === undefined || pid === proxyPid) continue;
    const ok = await fetch(`http://127.0.0.1:${p}/v1/health`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) return { base: `http://127.0.0.1:${p}`, adminKey, workerPid: pid, stop };
  }
  await stop();
  throw new Error("could not find the Worker's own workerd port");
}

function memoryKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
}

interface Sample {
  status: number;
  code: string;
  ms: number;
  growthMb: number;
}

async function send(stack: Stack, body: Body): Promise<Sample> {
  writeFileSync(`/proc/${stack.workerPid}/clear_refs`, "5"); // resets VmHWM to the current RSS
  const before = memoryKb(stack.workerPid, "VmRSS");
  const headers: Record<string, string> = { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" };
  if (body.gzip) headers["content-encoding"] = "gzip";
  const t0 = performance.now();
  const res = await fetch(`${stack.base}/v1/ingest`, { method: "POST", headers, body: body.bytes });
  const reply = (await res.json()) as { error?: { code: string } };
  const ms = performance.now() - t0;
  return { status: res.status, code: reply.error?.code ?? "", ms, growthMb: (memoryKb(stack.workerPid, "VmHWM") - before) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function measure(root: string): Promise<string[]> {
  const stack = await launch(root);
  const rows: string[] = [];
  try {
    // Warms the key and rate-limit caches and the inflate path, plain and gzip, with bodies
    // that are refused before any Durable Object work (which would run beside the bombs and
    // blur their memory); one-time costs such as the first inflate's are not the bombs'.
    const empty: Body = { name: "reference: an empty batch (400, the fixed cost of a request)", bytes: new TextEncoder().encode(batch("", 0, "")), gzip: false };
    for (let i = 0; i < 3; i++) await send(stack, empty);
    for (let i = 0; i < 3; i++) await send(stack, { ...empty, bytes: gzip(empty.bytes), gzip: true });
    await new Promise((r) => setTimeout(r, 2_000));
    for (const body of [empty, ...BOMBS, realBatch(10_000)]) {
      const samples: Sample[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await send(stack, body));
      const first = samples[0]!;
      rows.push(
        `| ${body.name} | ${(body.bytes.byteLength / 1024).toFixed(0)} KB | ${first.status} ${first.code} | ${median(samples.map((s) => s.ms)).toFixed(0)} ` +
          `(${Math.min(...samples.map((s) => s.ms)).toFixed(0)}–${Math.max(...samples.map((s) => s.ms)).toFixed(0)}) | ${first.growthMb.toFixed(1)} / ${median(samples.map((s) => s.growthMb)).toFixed(1)} |`,
      );
    }
    rows.push(`| workerd RSS at the end | | | | ${(memoryKb(stack.workerPid, "VmRSS") / 1024).toFixed(0)} MB |`);
  } finally {
    await stack.stop();
  }
  return rows;
}

const checkouts = [here, ...(flags.compare ? [flags.compare] : [])];
const commit = (root: string) => execFileSync("git", ["-C", root, "log", "-1", "--format=%h %s"]).toString().trim().slice(0, 90);
console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ${RUNS} runs each\n`);
for (const root of checkouts) {
  const rows = await measure(root);
  console.log(`\n${commit(root)} (${root})\n`);
  console.log("| body | on the wire | answer | ms to the answer: median (min–max) | workerd peak growth, MB: first / median |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}
