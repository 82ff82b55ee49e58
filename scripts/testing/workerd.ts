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
      if (body.postgres === undefined) continue;
      // On a shared machine another stack's Worker answers /v1/health too: only this stack's knows its admin key.
      const own = await fetch(`http://127.0.0.1:${port}/v1/models?limit=1`, { headers: { authorization: `Bearer ${stack.adminKey}` }, signal: AbortSignal.timeout(5_000) });
      await own.arrayBuffer();
      if (own.status === 200) return `http://127.0.0.1:${port}`;
    } catch {
      // Not the Worker (an inspector or a loopback service port).
    }
  }
  return null;
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or null when it is gone. */
function processGroupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return null;
  }
}

/**
 * The process group of the stack's workerd processes (the one listening on its public port;
 * launchStack starts `npm start` in a group of its own and wrangler's workerd stay in it), so
 * memory and CPU can be read for this stack alone on a machine where other stacks run.
 */
export function stackProcessGroup(stack: Stack): number | null {
  const port = new URL(stack.base).port;
  const line = execFileSync("ss", ["-ltnpH"]).toString().split("\n").find((l) => l.includes('"workerd"') && l.includes(`:${port} `));
  const pid = line ? /pid=(\d+)/.exec(line)?.[1] : undefined;
  return pid === undefined ? null : processGroupOf(pid);
}

/** Resident memory of the workerd processes (the dev proxy's and the Worker's) in process group `group`, or of every one on the machine, in MB. */
export function workerdRssMb(group: number | null = null): number {
  const lines = execFileSync("ps", ["-eo", "rss,pgid,comm"]).toString().split("\n").filter((l) => l.includes("workerd"));
  return lines.filter((l) => group === null || Number(l.trim().split(/\s+/)[1]) === group).reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0] ?? 0), 0) / 1024;
}

/**
 * CPU time (user + system) used so far by the workerd processes in process group `group` (or
 * every one on the machine), in ms, from
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). On a shared machine
 * throughput swings with the other jobs; the CPU a workload costs does much less.
 */
export function workerdCpuMs(group: number | null = null): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (stat.slice(stat.indexOf("(") + 1, close) !== "workerd") continue;
      // After "pid (comm) ", field 3 (state) is index 0: utime (14) and stime (15) are 11 and 12.
      const fields = stat.slice(close + 2).split(" ");
      if (group !== null && Number(fields[2]) !== group) continue; // field 5, pgrp
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks * 10;
}
