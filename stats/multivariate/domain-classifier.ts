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

import type { RawColumn } from "../drift/types.ts";
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
  // Sums and cross-products per fold, once: a fold's training statistics are the totals
  // minus its own (five covariance passes become one).
  const referenceFolds = foldMoments(encoded.reference, settings.folds);
  const currentFolds = foldMoments(encoded.current, settings.folds);
  for (let fold = 0; fold < settings.folds; fold++) {
    const logRatio = discriminant(gaussian(withoutFold(currentFolds, fold), settings.ridge), gaussian(withoutFold(referenceFolds, fold), settings.ridge));
    const score = (matrix: Matrix, target: Float64Array) => {
      for (let row = fold; row < matrix.rows; row += settings.folds) target[row] = logRatio(matrix.data, row * d);
    };
    score(encoded.reference, referenceScores);
    score(encoded.current, currentScores);
  }
  const { auc, ci95 } = aucWithDeLong(currentScores, referenceScores);

  const importance = featureImportances(
    encoded.source,
    input.columns.length,
    gaussian(referenceFolds[settings.folds]!, settings.ridge),
    gaussian(currentFolds[settings.folds]!, settings.ridge),
  );
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
  type Writer = { width: number; write(column: RawColumn, row: number, out: Float64Array, at: number): void };
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
        write(column, row, out, at) {
          const x = numberAt(column, row);
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
      write(column, row, out, at) {
        const index = position.get(labelAt(column, row)) ?? kept.length;
        out[at + index] = 1;
      },
    };
  });
  const source = writers.flatMap((writer, index) => Array.from({ length: writer.width }, () => index));
  const width = source.length;
  const build = (side: MultivariateInput["reference"], rows: Int32Array): Matrix => {
    const data = new Float64Array(rows.length * width);
    let offset = 0;
    writers.forEach((writer, index) => {
      const column = side.get(input.columns[index]!.name)!;
      for (let r = 0; r < rows.length; r++) writer.write(column, rows[r] as number, data, r * width + offset);
      offset += writer.width;
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
  /** covariance⁻¹. */
  inverse: Square;
  /** −½ (d log 2π + log det covariance). */
  logNormaliser: number;
}

/**
 * log N(x; c) − log N(x; r) as one quadratic form: −½ xᵀ(C⁻¹ − R⁻¹)x + (C⁻¹μc − R⁻¹μr)ᵀx
 * + const, so each row costs one pass over half of a d × d matrix rather than two solves.
 */
function discriminant(c: Gaussian, r: Gaussian): (data: Float64Array, at: number) => number {
  const d = c.mean.length;
  const quadratic = new Float64Array(d * d);
  const linear = new Float64Array(d);
  let constant = c.logNormaliser - r.logNormaliser;
  for (let i = 0; i < d; i++) {
    let ci = 0;
    let ri = 0;
    for (let j = 0; j < d; j++) {
      const cij = c.inverse.data[i * d + j] as number;
      const rij = r.inverse.data[i * d + j] as number;
      // Upper triangle, off-diagonal entries doubled: xᵀMx = Σ_i M_ii x_i² + 2 Σ_{i<j} M_ij x_i x_j.
      if (j >= i) quadratic[i * d + j] = (j === i ? 1 : 2) * (cij - rij);
      ci += cij * (c.mean[j] as number);
      ri += rij * (r.mean[j] as number);
    }
    linear[i] = ci - ri;
    constant -= 0.5 * (ci * (c.mean[i] as number) - ri * (r.mean[i] as number));
  }
  return (data, at) => {
    let form = 0;
    let dot = 0;
    for (let i = 0; i < d; i++) {
      const xi = data[at + i] as number;
      let s = 0;
      for (let j = i; j < d; j++) s += (quadratic[i * d + j] as number) * (data[at + j] as number);
      form += xi * s;
      dot += (linear[i] as number) * xi;
    }
    return -0.5 * form + dot + constant;
  };
}

/** Row count, column sums and the upper triangle of Σ x xᵀ of some rows. */
interface Moments {
  count: number;
  sum: Float64Array;
  cross: Float64Array;
}

/** The moments of each fold (row i of the matrix is in fold i mod folds), and of all rows last. */
function foldMoments(matrix: Matrix, folds: number): Moments[] {
  const d = matrix.width;
  const out = Array.from({ length: folds + 1 }, () => ({ count: 0, sum: new Float64Array(d), cross: new Float64Array(d * d) }));
  for (let row = 0; row < matrix.rows; row++) {
    const moments = out[row % folds]!;
    moments.count++;
    const base = row * d;
    for (let i = 0; i < d; i++) {
      const xi = matrix.data[base + i] as number;
      moments.sum[i] = (moments.sum[i] as number) + xi;
      if (xi === 0) continue;
      for (let j = i; j < d; j++) moments.cross[i * d + j] = (moments.cross[i * d + j] as number) + xi * (matrix.data[base + j] as number);
    }
  }
  const all = out[folds]!;
  for (let fold = 0; fold < folds; fold++) {
    const moments = out[fold]!;
    all.count += moments.count;
    for (let i = 0; i < d; i++) all.sum[i] = (all.sum[i] as number) + (moments.sum[i] as number);
    for (let i = 0; i < d * d; i++) all.cross[i] = (all.cross[i] as number) + (moments.cross[i] as number);
  }
  return out;
}

/** The moments of every row outside fold `fold` (`folds` holds one entry per fold, then all rows). */
function withoutFold(folds: Moments[], fold: number): Moments {
  const all = folds[folds.length - 1]!;
  const own = folds[fold]!;
  return {
    count: all.count - own.count,
    sum: all.sum.map((value, i) => value - (own.sum[i] as number)),
    cross: all.cross.map((value, i) => value - (own.cross[i] as number)),
  };
}

/** The regularised Gaussian N(x̄, S + λI) of rows with these moments; S = (Σ x xᵀ − n x̄ x̄ᵀ) / (n − 1). */
function gaussian(moments: Moments, ridge: number): Gaussian {
  const d = moments.sum.length;
  const n = moments.count;
  const mean = moments.sum.map((value) => value / n);
  const covariance = square(d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = ((moments.cross[i * d + j] as number) - n * (mean[i] as number) * (mean[j] as number)) / (n - 1) + (i === j ? ridge : 0);
      covariance.data[i * d + j] = value;
      covariance.data[j * d + i] = value;
    }
  }
  const factor = cholesky(covariance);
  if (factor === undefined) throw new RangeError("covariance is not positive definite (ridge too small)");
  return {
    mean,
    covariance,
    inverse: inverseFromCholesky(factor, d),
    logNormaliser: -0.5 * (d * Math.log(2 * Math.PI) + logDeterminant(factor, d)),
  };
}

/**
 * Each input column's max(0, J − J without its encoded columns), J the Jeffreys divergence
 * between the Gaussians fitted to all rows of each side.
 */
function featureImportances(source: readonly number[], features: number, reference: Gaussian, current: Gaussian): number[] {
  const d = source.length;
  const all = Array.from({ length: d }, (_, index) => index);
  const full = jeffreys(reference, current, all);
  return Array.from({ length: features }, (_, feature) => {
    const kept = all.filter((index) => source[index] !== feature);
    return Math.max(0, full - jeffreys(reference, current, kept));
  });
}

/**
 * The inverse of the principal submatrix of Σ on `keep`, from Σ⁻¹ alone: with Σ⁻¹ split
 * into blocks P (kept), Q (kept × removed) and R (removed), (Σ_keep)⁻¹ = P − Q R⁻¹ Qᵀ (the
 * Schur complement identity; Golub & Van Loan §3.2 / Petersen & Pedersen, "The Matrix
 * Cookbook", eq. 348). Removing one feature costs O(d²) instead of a fresh inversion.
 */
function keptInverse(inverse: Square, keep: readonly number[]): Square {
  const d = inverse.n;
  const n = keep.length;
  const kept = new Set(keep);
  const removed = Array.from({ length: d }, (_, index) => index).filter((index) => !kept.has(index));
  const out = square(n);
  keep.forEach((i, r) => keep.forEach((j, c) => (out.data[r * n + c] = inverse.data[i * d + j] as number)));
  const w = removed.length;
  if (w === 0) return out;
  const block = square(w);
  removed.forEach((i, r) => removed.forEach((j, c) => (block.data[r * w + c] = inverse.data[i * d + j] as number)));
  const blockInverse = inverseFromCholesky(cholesky(block)!, w);
  // Q R⁻¹ (n × w), then subtract (Q R⁻¹) Qᵀ.
  const qr = new Float64Array(n * w);
  keep.forEach((i, r) => {
    for (let c = 0; c < w; c++) {
      let s = 0;
      for (let k = 0; k < w; k++) s += (inverse.data[i * d + (removed[k] as number)] as number) * (blockInverse.data[k * w + c] as number);
      qr[r * w + c] = s;
    }
  });
  keep.forEach((_, r) => {
    keep.forEach((j, c) => {
      let s = 0;
      for (let k = 0; k < w; k++) s += (qr[r * w + k] as number) * (inverse.data[(removed[k] as number) * d + j] as number);
      out.data[r * n + c] = (out.data[r * n + c] as number) - s;
    });
  });
  return out;
}

/** Jeffreys divergence between two Gaussians restricted to the coordinates `keep`. */
export function jeffreys(a: Gaussian, b: Gaussian, keep: readonly number[]): number {
  const n = keep.length;
  if (n === 0) return 0;
  const d = a.mean.length;
  const inverseA = keptInverse(a.inverse, keep);
  const inverseB = keptInverse(b.inverse, keep);
  // tr(A⁻¹B) = Σ (A⁻¹ ∘ B) for symmetric matrices.
  let trace = 0;
  keep.forEach((i, r) =>
    keep.forEach((j, c) => {
      trace += (inverseA.data[r * n + c] as number) * (b.covariance.data[i * d + j] as number) + (inverseB.data[r * n + c] as number) * (a.covariance.data[i * d + j] as number);
    }),
  );
  const delta = keep.map((i) => (b.mean[i] as number) - (a.mean[i] as number));
  let quadratic = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) quadratic += (delta[r] as number) * ((inverseA.data[r * n + c] as number) + (inverseB.data[r * n + c] as number)) * (delta[c] as number);
  }
  return 0.5 * trace - n + 0.5 * quadratic;
}
