// kill -9 workerd in the middle of an ingest stream, restart `npm start` on the same
// VIGIL_DATA_DIR, and check that every event acknowledged with a 2xx is counted
// exactly once. The client behaves like a real producer: a batch without a 2xx is
// retried with the same batch_id (after the restart, with the new admin key).
//   node scripts/reliability/kill9.ts [--batches 160] [--size 500] [--kill-after 50] [--shards 1]
// --shards N creates the version with N monitor shards first (issue 23): the kill then hits the
// shards and their coordinator mid-ingest and mid-merge, and the count read after the restart
// is the coordinator's sum over its shards.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launchStack, type Stack } from "../testing/stack.ts";

const { values: flags } = parseArgs({
  options: { batches: { type: "string", default: "160" }, size: { type: "string", default: "500" }, "kill-after": { type: "string", default: "50" }, shards: { type: "string", default: "1" } },
});
const SHARDS = Number(flags.shards);
if (!(Number.isInteger(SHARDS) && SHARDS >= 1 && SHARDS <= 16)) throw new Error(`--shards must be a whole number from 1 to 16, got "${flags.shards}"`);
const BATCHES = Number(flags.batches);
const SIZE = Number(flags.size);
const KILL_AFTER = Number(flags["kill-after"]);
const SENDERS = 4;
const MODEL = "kill9";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** workerd processes started by the stack that uses this data folder. */
function workerdPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "workerd") continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`VIGIL_DATA_DIR=${dataDir}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

function batch(j: number) {
  return {
    model: MODEL, version: "v1", batch_id: `k9-${j}`,
    events: Array.from({ length: SIZE }, (_, i) => ({
      prediction_id: `k9-${j}-${i}`, features: { x: (j * SIZE + i) % 97, g: `g${i % 5}` }, prediction: i % 2, score: (i % 100) / 100,
    })),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), "vigil-kill9-"));
let stack: Stack = await launchStack({ VIGIL_DATA_DIR: dataDir }, 240_000);
console.log(`stack up at ${stack.base} (data ${dataDir})`);
if (SHARDS > 1) {
  // The version exists with its shards before the first batch (ingest would register it with 1).
  const headers = { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" };
  const model = await fetch(`${stack.base}/v1/models`, { method: "POST", headers, body: JSON.stringify({ name: MODEL, prediction_kind: "binary" }) });
  const version = await fetch(`${stack.base}/v1/models/${MODEL}/versions`, { method: "POST", headers, body: JSON.stringify({ version: "v1", shards: SHARDS }) });
  if (model.status !== 201 || version.status !== 201) throw new Error(`creating ${MODEL} v1 with ${SHARDS} shards: ${model.status} ${version.status} ${await version.text()}`);
  console.log(`${MODEL} v1 created with ${SHARDS} shards`);
}
const acked = new Map<number, { accepted: number; duplicate: boolean; attempts: number }>();
let next = 0;
let restarting: Promise<void> | null = null;
let noReply = 0;

async function send(j: number): Promise<void> {
  const body = JSON.stringify(batch(j));
  for (let attempts = 1; ; attempts++) {
    if (restarting) await restarting;
    const { base, adminKey } = stack;
    try {
      const res = await fetch(`${base}/v1/ingest`, {
        method: "POST", headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body, signal: AbortSignal.timeout(60_000),
      });
      const json = (await res.json()) as { accepted?: number; duplicate?: boolean };
      if (res.status === 200) {
        acked.set(j, { accepted: json.accepted ?? 0, duplicate: json.duplicate === true, attempts });
        return;
      }
      // 401 after the restart (the old admin key), 5xx while workerd is gone: retry.
      if (res.status < 500 && res.status !== 401 && res.status !== 429) throw new Error(`batch ${j}: ${res.status} ${JSON.stringify(json)}`);
    } catch (error) {
      if ((error as Error).message.startsWith(`batch ${j}:`)) throw error;
      noReply++;
    }
    await sleep(250);
  }
}

async function sender(): Promise<void> {
  while (next < BATCHES) await send(next++);
}

async function killAndRestart(): Promise<void> {
  while (acked.size < KILL_AFTER) await sleep(20);
  const pids = workerdPids(dataDir);
  if (pids.length === 0) throw new Error("no workerd process found for this stack");
  const inFlight = next - acked.size;
  for (const pid of pids) process.kill(pid, "SIGKILL");
  console.log(`kill -9 workerd ${pids.join(",")} after ${acked.size} acknowledged batches (${inFlight} in flight)`);
  let done!: () => void;
  restarting = new Promise((r) => (done = r));
  await sleep(3_000);
  await stack.stop();
  const t0 = Date.now();
  stack = await launchStack({ VIGIL_DATA_DIR: dataDir }, 240_000);
  console.log(`restarted on the same data folder in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${stack.base}`);
  restarting = null;
  done();
}

const t0 = Date.now();
await Promise.all([killAndRestart(), ...Array.from({ length: SENDERS }, sender)]);
const acceptedSum = [...acked.values()].reduce((n, a) => n + a.accepted, 0);
const duplicates = [...acked.values()].filter((a) => a.duplicate).length;
const retried = [...acked.values()].filter((a) => a.attempts > 1).length;
let counted = -1;
let live: { totals: { events: number; batches: number; duplicateBatches: number } } | undefined;
const settleBy = Date.now() + 90_000;
while (Date.now() < settleBy) {
  const res = await fetch(`${stack.base}/v1/models/${MODEL}/versions/v1/live`, { headers: { authorization: `Bearer ${stack.adminKey}` } }).catch(() => null);
  if (res?.ok) {
    live = (await res.json()) as typeof live;
    counted = live!.totals.events;
    if (counted === acceptedSum) break;
  }
  await sleep(500);
}
console.log(
  `${BATCHES} batches × ${SIZE} events in ${((Date.now() - t0) / 1000).toFixed(1)} s: every batch acknowledged (${acked.size}), ` +
    `${retried} needed a retry (${noReply} attempts without a usable reply), ${duplicates} of them reported as duplicates (stored before the crash)`,
);
console.log(`events acknowledged (sum of 2xx accepted): ${acceptedSum}; expected ${BATCHES * SIZE}`);
console.log(`monitor counted: ${counted} (batches ${live?.totals.batches}, duplicate batches ${live?.totals.duplicateBatches})`);
const ok = acked.size === BATCHES && acceptedSum === BATCHES * SIZE && counted === acceptedSum;
console.log(ok ? "PASS: every acknowledged event counted exactly once" : "FAIL");
await stack.stop();
process.exitCode = ok ? 0 : 1;
