// Detection delay and false alarms of the live drift judge (issue 18), over independent
// seeded runs. Each run draws its own reference (the baseline) and its own stream, builds
// the profile as a baseline upload does (buildProfile), counts the stream into a live
// WindowState in chunks, and asks the judge (stats/streaming/judge.ts) after every chunk
// whether the feature drifted. Runs never share data, so the rates below are binomial
// over runs, not correlated polls of one stream.
//
// Reported per scenario:
// - flagged by N: the share of runs whose window was flagged at the evaluation after N
//   events (one independent Bernoulli per run). On null scenarios this is the false-alarm
//   rate per evaluation, which the judge controls at α = 0.01.
// - ever flagged: the share of runs flagged at any evaluation up to the horizon (polls of
//   one stream are correlated, so this is not α; it is reported for completeness).
// - median delay: events until the first flag, over the runs that flagged.
//
//   node scripts/bench/live-power.ts [--runs 200] [--null-runs 1000] [--reference 10000] [--scenario name,…]

import { parseArgs } from "node:util";
import { buildProfile } from "../../stats/profile/build.ts";
import { judgeWindow } from "../../stats/streaming/judge.ts";
import { WindowState } from "../../stats/streaming/window.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    "null-runs": { type: "string", default: "1000" },
    reference: { type: "string", default: "10000" },
    scenario: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

type Draw = (uniform: () => number, normal: () => number) => number | string;

interface Scenario {
  name: string;
  kind: "numerical" | "categorical";
  reference: Draw;
  current: Draw;
  /** Events counted before each evaluation, ascending. */
  checkpoints: number[];
  null: boolean;
}

const SHARES = [0.3, 0.25, 0.2, 0.15, 0.1];
const LABELS = ["a", "b", "c", "d", "e"];
/** The first category's share falls by `points` (0.03 = three points); the others take it up in proportion. */
function categories(points: number): Draw {
  const shares = SHARES.map((s, i) => (i === 0 ? s - points : s + (points * s) / (1 - (SHARES[0] as number))));
  return (uniform) => {
    let u = uniform();
    for (let i = 0; i < shares.length; i++) {
      u -= shares[i] as number;
      if (u < 0) return LABELS[i] as string;
    }
    return LABELS[LABELS.length - 1] as string;
  };
}

/** Student t with 3 degrees of freedom: Z / √(χ²₃/3). */
const studentT3: Draw = (_u, normal) => {
  const z = normal();
  const a = normal();
  const b = normal();
  const c = normal();
  return z / Math.sqrt((a * a + b * b + c * c) / 3);
};

const every = (step: number, to: number) => Array.from({ length: to / step }, (_, i) => (i + 1) * step);
const small = [100, 200, 500, 1000, 2000, 5000, 10000, 20000];

const SCENARIOS: Scenario[] = [
  { name: "null-normal", kind: "numerical", reference: (_u, n) => n(), current: (_u, n) => n(), checkpoints: small, null: true },
  { name: "null-t3", kind: "numerical", reference: studentT3, current: studentT3, checkpoints: small, null: true },
  { name: "null-lognormal", kind: "numerical", reference: (_u, n) => Math.exp(n()), current: (_u, n) => Math.exp(n()), checkpoints: small, null: true },
  // Discrete numerical features (integers with repeats: an age in years, a count), whose
  // reference grid is made of atoms (stats/profile/grid.ts).
  { name: "null-integer-age", kind: "numerical", reference: (_u, n) => Math.round(Math.min(80, Math.max(21, 42 + 12 * n()))), current: (_u, n) => Math.round(Math.min(80, Math.max(21, 42 + 12 * n()))), checkpoints: small, null: true },
  { name: "null-counts", kind: "numerical", reference: (u) => Math.floor(-Math.log(1 - u()) * 1.2), current: (u) => Math.floor(-Math.log(1 - u()) * 1.2), checkpoints: small, null: true },
  { name: "null-categorical", kind: "categorical", reference: categories(0), current: categories(0), checkpoints: [100, 200, 500, 1000, 2000, 5000], null: true },
  { name: "mean-0.1sd", kind: "numerical", reference: (_u, n) => n(), current: (_u, n) => n() + 0.1, checkpoints: every(500, 20000), null: false },
  { name: "scale-1.15", kind: "numerical", reference: (_u, n) => n(), current: (_u, n) => 1.15 * n(), checkpoints: every(500, 20000), null: false },
  { name: "category-3pt", kind: "categorical", reference: categories(0), current: categories(0.03), checkpoints: every(250, 5000), null: false },
];

interface RunResult {
  flaggedAt: boolean[];
}

function run(scenario: Scenario, seed: number, referenceRows: number): RunResult {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const reference: Array<number | string> = [];
  for (let i = 0; i < referenceRows; i++) reference.push(scenario.reference(uniform, normal));
  const profile = buildProfile({ columns: ["x"], get: () => reference }, { features: [{ name: "x", kind: scenario.kind }] });
  const window = new WindowState(profile);
  const flaggedAt: boolean[] = [];
  let counted = 0;
  for (const checkpoint of scenario.checkpoints) {
    for (; counted < checkpoint; counted++) window.updateRow({ x: scenario.current(uniform, normal) });
    flaggedAt.push(judgeWindow(profile, window).features[0]?.drifted === true);
  }
  return { flaggedAt };
}

function summarise(scenario: Scenario, runs: number, referenceRows: number) {
  const started = performance.now();
  const flaggedBy = new Array<number>(scenario.checkpoints.length).fill(0);
  const delays: number[] = [];
  let ever = 0;
  for (let r = 0; r < runs; r++) {
    // Seeds far apart per scenario and run: independent streams.
    const { flaggedAt } = run(scenario, 0x5eed0000 + r * 7919 + scenario.name.length * 104729, referenceRows);
    flaggedAt.forEach((f, i) => {
      if (f) flaggedBy[i] = (flaggedBy[i] as number) + 1;
    });
    const first = flaggedAt.indexOf(true);
    if (first >= 0) {
      ever++;
      delays.push(scenario.checkpoints[first] as number);
    }
  }
  delays.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    runs,
    reference: referenceRows,
    flagged_by: Object.fromEntries(scenario.checkpoints.map((c, i) => [c, (flaggedBy[i] as number) / runs])),
    ever_flagged: ever / runs,
    median_delay: delays.length === 0 ? null : delays[Math.floor((delays.length - 1) / 2)],
    p90_delay: delays.length < runs * 0.9 ? null : delays[Math.ceil(runs * 0.9) - 1],
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

const wanted = flags.scenario?.split(",");
const referenceRows = Number(flags.reference);
for (const scenario of SCENARIOS) {
  if (wanted && !wanted.includes(scenario.name)) continue;
  const runs = Number(scenario.null ? flags["null-runs"] : flags.runs);
  const result = summarise(scenario, runs, referenceRows);
  if (flags.json) {
    console.log(JSON.stringify(result));
    continue;
  }
  const by = Object.entries(result.flagged_by)
    .filter(([c]) => scenario.null || [1000, 2000, 5000, 10000, 20000].includes(Number(c)) || (scenario.kind === "categorical" && [1000, 2000, 3000, 4000, 5000].includes(Number(c))))
    .map(([c, share]) => `${c}: ${(share * 100).toFixed(1)}%`)
    .join("  ");
  console.log(`${result.scenario.padEnd(17)} runs ${String(runs).padStart(4)}  flagged by ${by}  | ever ${(result.ever_flagged * 100).toFixed(1)}%  median delay ${result.median_delay ?? "-"}  p90 ${result.p90_delay ?? "-"}  (${result.seconds}s)`);
}
