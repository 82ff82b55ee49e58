// The local stack's workerd processes as benchmarks and the soak see them
// (scripts/bench/ingest.bench.ts, scripts/reliability/soak.ts): the Worker's own port behind
// `wrangler dev`'s proxy, and their resident memory.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import type { Stack } from "./stack.ts";

/**
 * `wrangler dev` puts its own proxy (a second workerd process) in front of the Worker; a
 * deployed Worker has none. This finds the Worker's own listening port, so the benchmark
 * can also measure Vigil without the dev proxy's cost on the same 2 cores.
 */
export async function directBase(stack: Stack): Promise<string | null> {
  const publicPort = new URL(stack.base).port;
  const listening = execFileSync("ss", ["-ltnpH"]).toString().split("\n").filter((l) => l.includes('"workerd"'))
    .map((l) => ({ port: /127\.0\.0\.1:(\d+)/.exec(l)?.[1], pid: /pid=(\d+)/.exec(l)?.[1] }));
  // The proxy's workerd owns the public port; its other ports lead back through it.
  const proxyPid = listening.find((l) => l.port === publicPort)?.pid;
  for (const { port, pid } of listening) {
    if (port === undefined || pid === proxyPid) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/health`, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.json()) as { postgres?: unknown };
      if (body.postgres !== undefined) return `http://127.0.0.1:${port}`;
    } catch {
      // Not the Worker (an inspector or a loopback service port).
    }
  }
  return null;
}

/** Resident memory of every workerd process on the machine (the dev proxy's and the Worker's), in MB. */
export function workerdRssMb(): number {
  const lines = execFileSync("ps", ["-eo", "rss,comm"]).toString().split("\n").filter((l) => l.includes("workerd"));
  return lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0] ?? 0), 0) / 1024;
}

/**
 * CPU time (user + system) used so far by every workerd process on the machine, in ms, from
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). On a shared machine
 * throughput swings with the other jobs; the CPU a workload costs does much less.
 */
export function workerdCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (stat.slice(stat.indexOf("(") + 1, close) !== "workerd") continue;
      // After "pid (comm) ", field 3 (state) is index 0: utime (14) and stime (15) are 11 and 12.
      const fields = stat.slice(close + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks * 10;
}
