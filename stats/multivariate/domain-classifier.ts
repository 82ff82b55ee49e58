// Domain classifier: how well can a model tell current rows from reference rows? Its
// cross-validated ROC AUC is the drift score (0.5: indistinguishable). This is the idea of
// NannyML's DomainClassifierCalculator and Evidently's model-based drift; the model here is
// regularised quadratic discriminant analysis (Friedman, "Regularized discriminant
// analysis", JASA 84, 1989), chosen because it is closed-form (deterministic, no training
// loop to tune) and it sees changes in means *and* in how features vary together: a
// correlation that flips sign with unchanged marginals is invisible to a linear model and
// to additive stumps, but not to class-specific covariances. What it cannot see are shifts
// beyond the first two moments of the joint distribution (README.md says so).
//
// - Features: numerical values (missing → reference mean), categorical values one-hot for
//   the `maxCategories` most frequent labels of both sides together (the rest share one
//   "other" column), all standardised with the reference sample's mean and deviation.
// - Each class c is a Gaussian N(μ_c, S_c + λI), S_c the sample covariance (ddof 1) of its
//   training rows, λ = `ridge`. A row's score is the log-likelihood ratio
//   log N(x; current) − log N(x; reference).
// - k-fold cross-validation, stratified without shuffling (the i-th row of a class goes to
//   fold i mod k), so every row gets an out-of-fold score; the AUC of the pooled scores
//   (current rows positive) and DeLong's interval (auc.ts) are reported.
// - Drifted when the interval's lower end is above 0.5 (significant) and the AUC reaches
//   `aucThreshold` (0.55 by default: large enough to matter).
// - Importances: the Jeffreys divergence J (symmetrised Kullback-Leibler) between the two
//   fitted Gaussians, J = ½ tr(Σr⁻¹Σc + Σc⁻¹Σr) − d + ½ δᵀ(Σr⁻¹ + Σc⁻¹)δ with δ = μc − μr
//   (Kullback, "Information Theory and Statistics", 1959, ch. 9), and each feature's share
//   of max(0, J − J without that feature's columns): which features moved, alone or with
//   others.

import { aucWithDeLong } from "./auc.ts";
import { cholesky, inverseFromCholesky, logDeterminant, square, type Square } from "./matrix.ts";
import { columnScale, labelAt, type Matrix, MultivariateInputError, type MultivariateInput, numberAt, rowCount, sampleRows, standardize } from "./rows.ts";

export interface DomainClassifierOptions {
  folds?: number;
  ridge?: number;
  maxRows?: number;
  maxCategories?: number;
  aucThreshold?: number;
  topFeatures?: number;
  seed?: number;
}

export interface DomainClassifierResult {
  auc: number;
  ci95: [number, number];
  drifted: boolean;
  top_features: Array<{ feature: string; importance: number }>;
  rows: { reference: number; current: number };
}

const DEFAULTS = { folds: 5, ridge: 0.01, maxRows: 10_000, maxCategories: 20, aucThreshold: 0.55, topFeatures: 5, seed: 0x5eed };

interface Encoded {
  reference: Matrix;
  current: Matrix;
  /** For each encoded column, the index of its input column. */
  source: number[];
}

export function domainClassifierDrift(input: MultivariateInput, options: DomainClassifierOptions = {}): DomainClassifierResult {
  const settings = { ...DEFAULTS, ...options };
  const referenceRows = sampleRows(rowCount(input.columns, input.reference, "reference"), settings.maxRows, settings.seed);
  const currentRows = sampleRows(rowCount(input.columns, input.current, "current"), settings.maxRows, settings.seed + 1);
  if (referenceRows.length < 2 * settings.folds || currentRows.length < 2 * settings.folds) {
    throw new MultivariateInputError(`the domain classifier needs at least ${2 * settings.folds} rows on each side`);
  }
  const encoded = encode(input, referenceRows, currentRows, settings.maxCategories);
  const d = encoded.source.length;

  const referenceScores = new Float64Array(encoded.reference.rows);
  const currentScores = new Float64Array(encoded.current.rows);
  for (let fold = 0; fold < settings.folds; fold++) {
    const inFold = (row: number) => row % settings.folds === fold;
    const referenceFit = gaussian(encoded.reference, (row) => !inFold(row), settings.ridge);
    const currentFit = gaussian(encoded.current, (row) => !inFold(row), settings.ridge);
    const score = (matrix: Matrix, target: Float64Array) => {
      for (let row = fold; row < matrix.rows; row += settings.folds) {
        const x = matrix.data.subarray(row * d, (row + 1) * d);
        target[row] = currentFit.logDensity(x) - referenceFit.logDensity(x);
      }
    };
    score(encoded.reference, referenceScores);
    score(encoded.current, currentScores);
  }
  const { auc, ci95 } = aucWithDeLong(currentScores, referenceScores);

  const importance = featureImportances(encoded, input.columns.length, settings.ridge);
  const total = importance.reduce((sum, value) => sum + value, 0);
  const top_features = input.columns
    .map(({ name }, index) => ({ feature: name, importance: total > 0 ? (importance[index] as number) / total : 0 }))
    .filter((entry) => entry.importance > 0)
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1))
    .slice(0, settings.topFeatures);
  return {
    auc,
    ci95,
    drifted: ci95[0] > 0.5 && auc >= settings.aucThreshold,
    top_features,
    rows: { reference: referenceRows.length, current: currentRows.length },
  };
}

function encode(input: MultivariateInput, referenceRows: Int32Array, currentRows: Int32Array, maxCategories: number): Encoded {
  type Writer = { width: number; write(side: MultivariateInput["reference"], row: number, out: Float64Array, at: number): void };
  const writers: Writer[] = input.columns.map(({ name, kind }) => {
    const referenceColumn = input.reference.get(name)!;
    if (kind === "numerical") {
      let sum = 0;
      let count = 0;
      for (const row of referenceRows) {
        const x = numberAt(referenceColumn, row);
        if (!Number.isNaN(x)) {
          sum += x;
          count++;
        }
      }
      const mean = count > 0 ? sum / count : 0;
      return {
        width: 1,
        write(side, row, out, at) {
          const x = numberAt(side.get(name)!, row);
          out[at] = Number.isNaN(x) ? mean : x;
        },
      };
    }
    const counts = new Map<string, number>();
    for (const [side, rows] of [[input.reference, referenceRows], [input.current, currentRows]] as const) {
      const column = side.get(name)!;
      for (const row of rows) {
        const label = labelAt(column, row);
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
    }
    const labels = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([label]) => label);
    const kept = labels.slice(0, maxCategories);
    const hasOther = labels.length > kept.length;
    const position = new Map(kept.map((label, index) => [label, index]));
    return {
      width: kept.length + (hasOther ? 1 : 0),
      write(side, row, out, at) {
        const index = position.get(labelAt(side.get(name)!, row)) ?? kept.length;
        out[at + index] = 1;
      },
    };
  });
  const source = writers.flatMap((writer, index) => Array.from({ length: writer.width }, () => index));
  const width = source.length;
  const build = (side: MultivariateInput["reference"], rows: Int32Array): Matrix => {
    const data = new Float64Array(rows.length * width);
    rows.forEach((row, r) => {
      let at = r * width;
      for (const writer of writers) {
        writer.write(side, row, data, at);
        at += writer.width;
      }
    });
    return { rows: rows.length, width, data };
  };
  const reference = build(input.reference, referenceRows);
  const current = build(input.current, currentRows);
  const { mean, scale } = columnScale(reference);
  standardize(reference, mean, scale);
  standardize(current, mean, scale);
  return { reference, current, source };
}

interface Gaussian {
  mean: Float64Array;
  covariance: Square;
  logDensity(x: Float64Array): number;
}

/** The regularised Gaussian fitted to the rows of `matrix` that `use` keeps. */
function gaussian(matrix: Matrix, use: (row: number) => boolean, ridge: number): Gaussian {
  const { width: d, data } = matrix;
  const mean = new Float64Array(d);
  let count = 0;
  for (let row = 0; row < matrix.rows; row++) {
    if (!use(row)) continue;
    count++;
    for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) + (data[row * d + i] as number);
  }
  for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) / count;
  const covariance = square(d);
  const centred = new Float64Array(d);
  for (let row = 0; row < matrix.rows; row++) {
    if (!use(row)) continue;
    for (let i = 0; i < d; i++) centred[i] = (data[row * d + i] as number) - (mean[i] as number);
    for (let i = 0; i < d; i++) {
      const ci = centred[i] as number;
      if (ci === 0) continue;
      for (let j = i; j < d; j++) covariance.data[i * d + j] = (covariance.data[i * d + j] as number) + ci * (centred[j] as number);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = (covariance.data[i * d + j] as number) / (count - 1) + (i === j ? ridge : 0);
      covariance.data[i * d + j] = value;
      covariance.data[j * d + i] = value;
    }
  }
  const factor = cholesky(covariance);
  if (factor === undefined) throw new RangeError("covariance is not positive definite (ridge too small)");
  const logNormaliser = -0.5 * (d * Math.log(2 * Math.PI) + logDeterminant(factor, d));
  const solved = new Float64Array(d);
  return {
    mean,
    covariance,
    logDensity(x) {
      // Mahalanobis distance by forward substitution: ‖L⁻¹(x − μ)‖².
      for (let i = 0; i < d; i++) {
        let s = (x[i] as number) - (mean[i] as number);
        for (let k = 0; k < i; k++) s -= (factor[i * d + k] as number) * (solved[k] as number);
        solved[i] = s / (factor[i * d + i] as number);
      }
      let squared = 0;
      for (let i = 0; i < d; i++) squared += (solved[i] as number) ** 2;
      return logNormaliser - 0.5 * squared;
    },
  };
}

/** Each input column's max(0, J − J without its encoded columns), J the Jeffreys divergence. */
function featureImportances(encoded: Encoded, features: number, ridge: number): number[] {
  const every = () => true;
  const reference = gaussian(encoded.reference, every, ridge);
  const current = gaussian(encoded.current, every, ridge);
  const d = encoded.source.length;
  const all = Array.from({ length: d }, (_, index) => index);
  const full = jeffreys(reference, current, all);
  return Array.from({ length: features }, (_, feature) => {
    const kept = all.filter((index) => encoded.source[index] !== feature);
    return Math.max(0, full - jeffreys(reference, current, kept));
  });
}

/** Jeffreys divergence between two Gaussians restricted to the coordinates `keep`. */
export function jeffreys(a: Gaussian, b: Gaussian, keep: readonly number[]): number {
  const n = keep.length;
  if (n === 0) return 0;
  const d = a.mean.length;
  const restrict = (g: Gaussian): Square => {
    const out = square(n);
    keep.forEach((i, r) => keep.forEach((j, c) => (out.data[r * n + c] = g.covariance.data[i * d + j] as number)));
    return out;
  };
  const sa = restrict(a);
  const sb = restrict(b);
  const inverseA = inverseFromCholesky(cholesky(sa)!, n);
  const inverseB = inverseFromCholesky(cholesky(sb)!, n);
  // tr(A⁻¹B) = Σ (A⁻¹ ∘ B) for symmetric matrices.
  let trace = 0;
  for (let i = 0; i < n * n; i++) trace += (inverseA.data[i] as number) * (sb.data[i] as number) + (inverseB.data[i] as number) * (sa.data[i] as number);
  const delta = keep.map((i) => (b.mean[i] as number) - (a.mean[i] as number));
  let quadratic = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) quadratic += (delta[r] as number) * ((inverseA.data[r * n + c] as number) + (inverseB.data[r * n + c] as number)) * (delta[c] as number);
  }
  return 0.5 * trace - n + 0.5 * quadratic;
}
