// Power and false alarms of the multivariate methods and CBPE (issue 19, "Correctness"):
//
// - null: reference and current from the same distribution, `--runs` independent seeds;
//   the share of runs each method flags (domain classifier, reconstruction error), and the
//   share where any univariate default test flags a column.
// - flip: two features whose correlation goes from +0.8 to −0.8 with unchanged marginals;
//   the same shares (multivariate methods should flag, univariate tests should not).
// - CBPE: estimated vs realised accuracy under pure covariate shift, per run.
//
//   node scripts/bench/multivariate-power.ts [--runs 100] [--reference 2000] [--current 1000]

import { parseArgs } from "node:util";
import { computeDrift } from "../../stats/drift/report.ts";
import type { RawColumn } from "../../stats/drift/types.ts";
import { CbpeAccumulator } from "../../stats/estimation/cbpe.ts";
import { multivariateDrift } from "../../stats/multivariate/multivariate.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "100" }, reference: { type: "string", default: "2000" }, current: { type: "string", default: "1000" } } });
const runs = Number(flags.runs);
const columns = ["x", "y", "z", "w"].map((name) => ({ name, kind: "numerical" as const }));

function side(seed: number, rows: number, rho: number): Map<string, RawColumn> {
  const normal = normalFrom(mulberry32(seed));
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  const z = new Float64Array(rows);
  const w = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = normal();
    y[i] = rho * (x[i] as number) + Math.sqrt(1 - rho * rho) * normal();
    z[i] = normal();
    w[i] = Math.exp(normal() * 0.5);
  }
  return new Map<string, RawColumn>([["x", x], ["y", y], ["z", z], ["w", w]]);
}

function shares(rhoCurrent: number) {
  let classifier = 0;
  let reconstruction = 0;
  let univariate = 0;
  for (let run = 0; run < runs; run++) {
    const reference = side(1000 + run, Number(flags.reference), 0.8);
    const current = side(5000 + run, Number(flags.current), rhoCurrent);
    const report = multivariateDrift({ columns, reference, current }, { domainClassifier: { seed: run }, reconstruction: { seed: run } });
    if (report.domain_classifier.drifted) classifier++;
    if (report.reconstruction.drifted) reconstruction++;
    const drift = computeDrift({ reference, current, columns });
    if (drift.columns.some((column) => column.drifted)) univariate++;
  }
  return { classifier: classifier / runs, reconstruction: reconstruction / runs, univariate: univariate / runs };
}

function cbpe() {
  const gaps: number[] = [];
  for (let run = 0; run < runs; run++) {
    const uniform = mulberry32(9000 + run);
    const normal = normalFrom(uniform);
    const shift = (run % 5) * 0.4 - 0.8;
    const accumulator = new CbpeAccumulator();
    let correct = 0;
    const rows = 20_000;
    for (let i = 0; i < rows; i++) {
      const p = 1 / (1 + Math.exp(-1.5 * (shift + normal())));
      const y = uniform() < p;
      accumulator.add(p, p >= 0.5);
      if (y === p >= 0.5) correct++;
    }
    gaps.push(Math.abs(accumulator.estimate()!.accuracy - correct / rows));
  }
  gaps.sort((a, b) => a - b);
  return { median: gaps[gaps.length >> 1]!, max: gaps[gaps.length - 1]!, over002: gaps.filter((gap) => gap > 0.02).length };
}

const started = performance.now();
console.log(`runs ${runs}, reference ${flags.reference} rows, current ${flags.current} rows, Node ${process.versions.node}`);
console.log("null (rho 0.8 -> 0.8):", shares(0.8));
console.log("flip (rho 0.8 -> -0.8):", shares(-0.8));
console.log("CBPE |estimated - realised accuracy|, 20,000 rows per run, input mean shifted -0.8..0.8:", cbpe());
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
