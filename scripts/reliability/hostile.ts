// Sends N seeded hostile requests (hostile-cases.ts) to a running stack and checks that
// every one is answered with a 4xx naming the problem in the shared error shape (or a
// 2xx listing per-record rejections), never a 5xx or a dropped connection, and that the
// server still serves a good batch afterwards.
//   node scripts/reliability/hostile.ts --url http://127.0.0.1:8787 --key vgl_… [--count 10000] [--seed 1] [--concurrency 4]
import { mulberry32 } from "../../stats/testing/rng.ts";
import { hostileRequest } from "./hostile-cases.ts";

export interface KindReport { count: number; statuses: Record<string, number>; sample: string }
export interface HostileReport { total: number; failures: string[]; byKind: Record<string, KindReport>; stillServing: boolean; ms: number }

export async function runHostile(base: string, key: string, count: number, seed: number, concurrency = 4): Promise<HostileReport> {
  const model = `hostile-${seed}`;
  const good = () => fetch(`${base}/v1/ingest`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, version: "v1", events: [{ prediction_id: `ok-${Date.now()}`, features: { a: 1.5, b: "x" }, prediction: 1 }] }),
  });
  const registered = await good();
  if (registered.status !== 200) throw new Error(`could not register ${model}: ${registered.status} ${await registered.text()}`);

  const rand = mulberry32(seed);
  const requests = Array.from({ length: count }, (_, i) => hostileRequest(rand, i, model));
  const report: HostileReport = { total: count, failures: [], byKind: {}, stillServing: false, ms: 0 };
  const t0 = Date.now();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i]!;
      const kind = (report.byKind[r.kind] ??= { count: 0, statuses: {}, sample: "" });
      kind.count++;
      let status = 0;
      let text = "";
      try {
        const res = await fetch(base + r.path, { method: "POST", body: typeof r.body === "string" ? r.body : new Uint8Array(r.body), headers: { authorization: `Bearer ${key}`, ...r.headers }, signal: AbortSignal.timeout(60_000) });
        status = res.status;
        text = await res.text();
      } catch (error) {
        text = (error as Error).message;
      }
      kind.statuses[status] = (kind.statuses[status] ?? 0) + 1;
      let problem = "";
      let message = "";
      try {
        const json = JSON.parse(text) as { error?: { code?: string; message?: string }; accepted?: number; rejected_count?: number; rejected?: { field: string; error: string }[] };
        if (status >= 400 && status < 500) {
          message = `${json.error?.code}: ${json.error?.message}`;
          if (!json.error?.code || !json.error.message || json.error.message.length < 6) problem = "4xx without a named problem";
        } else if (status >= 200 && status < 300) {
          const first = json.rejected?.[0];
          message = first ? `${json.rejected_count} rejected; ${first.field}: ${first.error}` : `accepted ${json.accepted} (legal)`;
          if (!json.rejected_count && !r.mayAccept) problem = "accepted as if valid";
        } else problem = `status ${status}`;
      } catch {
        problem = `status ${status}, body not JSON: ${text.slice(0, 120)}`;
      }
      if (!kind.sample && message) kind.sample = message.slice(0, 160);
      if (problem) report.failures.push(`#${i} ${r.kind}: ${problem}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.ms = Date.now() - t0;
  const health = await fetch(`${base}/v1/health`).catch(() => null);
  report.stillServing = health?.ok === true && (await good()).status === 200;
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : fallback;
  };
  const base = arg("url", "http://127.0.0.1:8787").replace(/\/+$/, "");
  const key = arg("key", process.env.VIGIL_API_KEY ?? "");
  const count = Number(arg("count", "10000"));
  const report = await runHostile(base, key, count, Number(arg("seed", "1")), Number(arg("concurrency", "4")));
  const rows = Object.entries(report.byKind).sort((a, b) => b[1].count - a[1].count);
  console.log(`${report.total} hostile requests in ${(report.ms / 1000).toFixed(1)} s against ${base}\n`);
  console.log("| kind | n | statuses | first reply |\n|---|---|---|---|");
  for (const [kind, k] of rows) console.log(`| ${kind} | ${k.count} | ${Object.entries(k.statuses).map(([s, n]) => `${s}×${n}`).join(" ")} | ${k.sample.replaceAll("|", "\\|")} |`);
  console.log(`\nfailures: ${report.failures.length}${report.failures.length ? "\n" + report.failures.slice(0, 30).join("\n") : ""}`);
  console.log(`server still serving a good batch afterwards: ${report.stillServing}`);
  process.exitCode = report.failures.length === 0 && report.stillServing ? 0 : 1;
}
