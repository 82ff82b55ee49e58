// CPU profile of the Worker and its Durable Objects under `npm start`, through the
// inspector wrangler exposes (start the stack with VIGIL_INSPECTOR_PORT set):
//   node scripts/bench/profile-worker.ts --port 9230 --seconds 10 [--out /tmp/worker.cpuprofile]
// Prints the functions with the most self time; the .cpuprofile opens in Chrome DevTools.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import WebSocket from "ws";

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "9230" },
    seconds: { type: "string", default: "10" },
    out: { type: "string", default: "/tmp/worker.cpuprofile" },
    top: { type: "string", default: "40" },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const targets = (await (await fetch(`http://127.0.0.1:${flags.port}/json`)).json()) as { webSocketDebuggerUrl: string; title?: string }[];
const target = targets[0];
if (!target) throw new Error(`no inspector target on port ${flags.port}`);
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
let id = 0;
const pending = new Map<number, (result: unknown) => void>();
ws.on("message", (data) => {
  const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
  if (message.id !== undefined) pending.get(message.id)?.(message.result);
});
const call = (method: string, params: object = {}) =>
  new Promise<unknown>((resolve) => {
    pending.set(++id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 200 });
await call("Profiler.start");
await new Promise((r) => setTimeout(r, Number(flags.seconds) * 1000));
const { profile } = (await call("Profiler.stop")) as { profile: Profile };
ws.close();
writeFileSync(flags.out, JSON.stringify(profile));

const self = new Map<number, number>();
profile.samples.forEach((node, i) => self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
console.log(`${(total / 1e6).toFixed(1)} s profiled; self time by function:`);
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(flags.top))) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}
