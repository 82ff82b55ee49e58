// Benchmark: what alert evaluation adds to a ModelMonitor tick — the pure evaluator
// (durable/alerts/evaluate.ts) over the default rules plus custom ones, three windows
// and many features — and the cost of signing a webhook body.
//
// Run from the repo root:
//   node scripts/bench/alerts.bench.ts [--features 100] [--rules 30] [--ticks 20000]
// Prints a Markdown table; results are recorded in docs/benchmarks.md under "Alerts".

import { parseArgs } from "node:util";
import { DEFAULT_RULES } from "../../durable/alerts/defaults.ts";
import { evaluateRules, type RuleStates } from "../../durable/alerts/evaluate.ts";
import type { MonitorMetrics, WindowMetrics, WindowName } from "../../durable/alerts/metrics.ts";
import type { AlertRule } from "../../durable/alerts/rules.ts";
import { signatureHeader } from "../../workers/channels/signature.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: { features: { type: "string", default: "100" }, rules: { type: "string", default: "30" }, ticks: { type: "string", default: "20000" } },
});
const featureCount = Number(flags.features);
const ruleCount = Number(flags.rules);
const ticks = Number(flags.ticks);
const rand = mulberry32(7);

const rules: AlertRule[] = DEFAULT_RULES.map((r, i) => ({ ...r, id: `d${i}`, enabled: true }));
for (let i = rules.length; i < ruleCount; i++) {
  rules.push({ id: `c${i}`, name: `custom ${i}`, severity: "warning", window: (["5m", "1h", "24h"] as const)[i % 3]!, condition: { kind: "feature_drift", features: [`f${i % featureCount}`], threshold: 0.2 }, forEvaluations: 3, cooldownMs: 600_000, autoResolveAfter: 5, enabled: true });
}

function window(name: WindowName, t: number): WindowMetrics {
  const features = Array.from({ length: featureCount }, (_, i) => {
    const score = rand() * 0.3;
    return { feature: `f${i}`, method: "psi", direction: "distance" as const, score, threshold: 0.2, drifted: score >= 0.2 };
  });
  const rates = Object.fromEntries(features.map((f) => [f.feature, rand() * 0.02]));
  return { window: name, from: t - 300_000, to: t, rows: 10_000, features, prediction: features[0]!, performance: { accuracy: 0.9 }, quality: { missingRate: rates, newCategoryRate: rates, outOfRangeRate: rates }, latency: { p95: 50, p99: 90 }, volumeBaseline: 10_000 };
}

const t0 = Date.UTC(2026, 10, 26);
const inputs: MonitorMetrics[] = Array.from({ length: 64 }, (_, i) => ({ windows: [window("5m", t0), window("1h", t0), window("24h", t0)], lastEventAt: t0 + i }));
let states: RuleStates = {};
let events = 0;
const start = performance.now();
for (let i = 0; i < ticks; i++) {
  const r = evaluateRules(rules, states, inputs[i % inputs.length]!, t0 + i * 1000);
  states = r.states;
  events += r.events.length;
}
const perTick = (performance.now() - start) / ticks;

const body = JSON.stringify({ id: "x", type: "alert.opened", alert: { features: Array.from({ length: 20 }, (_, i) => ({ feature: `f${i}`, score: 0.3, threshold: 0.2 })) } });
const signs = 5_000;
const s0 = performance.now();
for (let i = 0; i < signs; i++) await signatureHeader("whsec_bench_secret", body, 1_795_683_600 + i, "d-bench");
const perSign = (performance.now() - s0) / signs;

console.log(`| rules | features × windows | ticks | evaluate per tick | events | sign ${body.length} B body |`);
console.log("|---|---|---|---|---|---|");
console.log(`| ${rules.length} | ${featureCount} × 3 | ${ticks} | ${(perTick * 1000).toFixed(1)} µs | ${events} | ${(perSign * 1000).toFixed(1)} µs |`);
