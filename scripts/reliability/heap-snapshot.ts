// What the Worker's V8 heap holds, through the inspector wrangler dev exposes (start the stack
// with VIGIL_INSPECTOR_PORT set, e.g. the soak or the ingest bench): the heap's used and total
// size, then a heap snapshot summarised by constructor (count and self size), optionally
// against an earlier summary, to find what grows under load (docs/reliability.md, "Soak").
//
//   node scripts/reliability/heap-snapshot.ts --port 9241 [--summary now.json] [--against before.json] [--top 25] [--out x.heapsnapshot]
//
// workerd's RSS also holds what V8 does not see (SQLite's page cache, socket buffers,
// freed heap pages not yet returned): the script prints both, so the gap is visible.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { workerdRssMb } from "../testing/workerd.ts";

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "9241" },
    summary: { type: "string" },
    against: { type: "string" },
    out: { type: "string" },
    top: { type: "string", default: "25" },
  },
});

interface Summary {
  at: string;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** "type:name" → [count, self bytes] */
  groups: Record<string, [number, number]>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const targets = (await (await fetch(`http://127.0.0.1:${flags.port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
const target = targets[0];
if (!target) throw new Error(`no inspector target on port ${flags.port}`);
const ws = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
let id = 0;
const pending = new Map<number, (result: unknown) => void>();
const chunks: string[] = [];
ws.on("message", (data) => {
  const message = JSON.parse(String(data)) as { id?: number; result?: unknown; method?: string; params?: { chunk?: string } };
  if (message.id !== undefined) pending.get(message.id)?.(message.result);
  else if (message.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(message.params?.chunk ?? "");
});
const call = (method: string, params: object = {}) =>
  new Promise<unknown>((resolve) => {
    pending.set(++id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

const usage = (await call("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
await call("HeapProfiler.enable");
// Collects garbage first, so the snapshot holds what is reachable.
await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
ws.close();
const text = chunks.join("");
if (flags.out) writeFileSync(flags.out, text);

/** Self size and count per node type and name (the constructor for objects). */
function summarise(snapshot: Snapshot): Summary["groups"] {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups: Summary["groups"] = {};
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? "?";
    // Strings and code are grouped by type only: their names are their contents.
    const name = type === "object" || type === "closure" || type === "native" ? (snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? "?").slice(0, 80) : "";
    const key = `${type}:${name}`;
    const group = (groups[key] ??= [0, 0]);
    group[0]++;
    group[1] += snapshot.nodes[i + sizeAt] as number;
  }
  return groups;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const summary: Summary = {
  at: new Date().toISOString(),
  rssMb: workerdRssMb(),
  heapUsedMb: mb(usage.usedSize),
  heapTotalMb: mb(usage.totalSize),
  groups: summarise(JSON.parse(text) as Snapshot),
};
if (flags.summary) writeFileSync(flags.summary, JSON.stringify(summary));

const before = flags.against ? (JSON.parse(readFileSync(flags.against, "utf8")) as Summary) : null;
const total = Object.values(summary.groups).reduce((sum, [, bytes]) => sum + bytes, 0);
console.log(`${summary.at}: workerd RSS ${summary.rssMb.toFixed(0)} MB, V8 heap used ${summary.heapUsedMb.toFixed(1)} of ${summary.heapTotalMb.toFixed(1)} MB, reachable in the snapshot ${mb(total).toFixed(1)} MB`);
if (before) console.log(`against ${before.at}: RSS ${(summary.rssMb - before.rssMb).toFixed(0)} MB, heap used ${(summary.heapUsedMb - before.heapUsedMb).toFixed(1)} MB`);
const rows = Object.entries(summary.groups).map(([key, [count, bytes]]) => {
  const was = before?.groups[key] ?? [0, 0];
  return { key, count, bytes, dCount: count - was[0], dBytes: bytes - was[1] };
});
rows.sort((a, b) => (before ? b.dBytes - a.dBytes : b.bytes - a.bytes));
console.log(`\n| type:constructor | count | self (MB) |${before ? " Δ count | Δ self (MB) |" : ""}`);
console.log(`|---|---:|---:|${before ? "---:|---:|" : ""}`);
for (const r of rows.slice(0, Number(flags.top))) {
  console.log(`| ${r.key} | ${r.count} | ${mb(r.bytes).toFixed(2)} |${before ? ` ${r.dCount} | ${mb(r.dBytes).toFixed(2)} |` : ""}`);
}
