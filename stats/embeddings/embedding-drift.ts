// Drift of embedding columns (one fixed-length vector per row), with the four methods
// Evidently offers (evidently/metrics/data_drift/embedding_drift_methods.py), same defaults:
//
// - `distance`: the distance between the mean vectors of reference and current
//   (euclidean, cosine, cityblock or chebyshev, as scipy.spatial.distance defines them).
//   Drift above a fixed threshold (0.2), or, with `bootstrap`, above the 95th percentile of
//   the same distance between two resamples of the reference alone, of sizes n²/(n+m) and
//   nm/(n+m) (with replacement, 100 rounds): what the distance looks like without drift.
// - `ratio`: the share of components (coordinates) whose own test (wasserstein, threshold
//   0.1) finds drift; drift when that share exceeds 0.2.
// - `model`: the domain classifier of stats/multivariate on the components (Evidently
//   trains a linear SGD classifier on a 50/50 split; here the cross-validated QDA with its
//   DeLong interval). Wide vectors are first projected to at most `projectTo` dimensions by
//   a seeded Gaussian random projection (Johnson-Lindenstrauss: distances are kept to within
//   a small factor), so the model sees every component at bounded cost.
// - `mmd`: the unbiased squared maximum mean discrepancy with a Gaussian kernel (Gretton et
//   al., "A kernel two-sample test", JMLR 13, 2012, eq. 3), bandwidth by the median
//   heuristic (γ = 1 / median pairwise distance², as Evidently), and a permutation test:
//   p = (1 + #{permuted MMD² ≥ observed}) / (1 + rounds); drift when p < 0.05. Up to
//   `maxRows` rows per side (a seeded sample), since the kernel matrix is quadratic.

import { getTest } from "../drift/registry.ts";
import { domainClassifierDrift } from "../multivariate/domain-classifier.ts";
import { mulberry32, MultivariateInputError, sampleRows } from "../multivariate/rows.ts";

/** Row vectors, all of one length. */
export type Embeddings = readonly (ArrayLike<number>)[];

export type Distance = "euclidean" | "cosine" | "cityblock" | "chebyshev";

export interface EmbeddingDriftResult {
  method: "distance" | "ratio" | "model" | "mmd";
  score: number;
  threshold: number;
  drifted: boolean;
  /** Method details: the p-value of mmd, the interval of model, the components of ratio. */
  details: Record<string, unknown>;
}

const BOOTSTRAP_ROUNDS = 100;

function dimensionOf(reference: Embeddings, current: Embeddings): number {
  if (reference.length === 0 || current.length === 0) throw new MultivariateInputError("embedding drift needs rows on both sides");
  const d = reference[0]!.length;
  for (const [side, rows] of [["reference", reference], ["current", current]] as const) {
    rows.forEach((row, index) => {
      if (row.length !== d) throw new MultivariateInputError(`${side} row ${index + 1} has ${row.length} components, not ${d}`);
      for (let k = 0; k < d; k++) if (!Number.isFinite(row[k])) throw new MultivariateInputError(`${side} row ${index + 1} component ${k} is not a finite number`);
    });
  }
  return d;
}

function meanOf(rows: Embeddings, picked: ArrayLike<number> | undefined, d: number): Float64Array {
  const mean = new Float64Array(d);
  const count = picked === undefined ? rows.length : picked.length;
  for (let i = 0; i < count; i++) {
    const row = rows[picked === undefined ? i : (picked[i] as number)]!;
    for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) + (row[k] as number);
  }
  for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) / count;
  return mean;
}

/** scipy.spatial.distance's definitions. */
export function vectorDistance(a: Float64Array, b: Float64Array, kind: Distance): number {
  let result = 0;
  if (kind === "cosine") {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let k = 0; k < a.length; k++) {
      dot += (a[k] as number) * (b[k] as number);
      na += (a[k] as number) ** 2;
      nb += (b[k] as number) ** 2;
    }
    return 1 - dot / Math.sqrt(na * nb);
  }
  for (let k = 0; k < a.length; k++) {
    const difference = Math.abs((a[k] as number) - (b[k] as number));
    if (kind === "euclidean") result += difference * difference;
    else if (kind === "cityblock") result += difference;
    else result = Math.max(result, difference);
  }
  return kind === "euclidean" ? Math.sqrt(result) : result;
}

export interface DistanceOptions {
  distance?: Distance;
  threshold?: number;
  bootstrap?: boolean;
  quantile?: number;
  seed?: number;
}

export function distanceDrift(reference: Embeddings, current: Embeddings, options: DistanceOptions = {}): EmbeddingDriftResult {
  const { distance = "euclidean", threshold = 0.2, bootstrap = false, quantile = 0.95, seed = 0x5eed } = options;
  const d = dimensionOf(reference, current);
  const score = vectorDistance(meanOf(reference, undefined, d), meanOf(current, undefined, d), distance);
  if (!bootstrap) return { method: "distance", score, threshold, drifted: score > threshold, details: { distance } };
  const n = reference.length;
  const m = current.length;
  const sizeA = Math.max(1, Math.floor((n * n) / (n + m)));
  const sizeB = Math.max(1, Math.floor((m * n) / (n + m)));
  const next = mulberry32(seed);
  const draw = (size: number) => Int32Array.from({ length: size }, () => Math.floor(next() * n));
  const null_ = new Float64Array(BOOTSTRAP_ROUNDS);
  for (let round = 0; round < BOOTSTRAP_ROUNDS; round++) {
    null_[round] = vectorDistance(meanOf(reference, draw(sizeA), d), meanOf(reference, draw(sizeB), d), distance);
  }
  const cut = percentile(null_, 100 * quantile);
  return { method: "distance", score, threshold: cut, drifted: score > cut, details: { distance, bootstrap: true, rounds: BOOTSTRAP_ROUNDS } };
}

export interface RatioOptions {
  componentTest?: string;
  componentThreshold?: number;
  threshold?: number;
}

export function ratioDrift(reference: Embeddings, current: Embeddings, options: RatioOptions = {}): EmbeddingDriftResult {
  const { componentTest = "wasserstein", componentThreshold = 0.1, threshold = 0.2 } = options;
  const d = dimensionOf(reference, current);
  const test = getTest(componentTest);
  const drifted: number[] = [];
  for (let k = 0; k < d; k++) {
    const column = (rows: Embeddings) => Float64Array.from(rows, (row) => row[k] as number);
    const outcome = test.run({ kind: "numerical", values: column(reference) }, { kind: "numerical", values: column(current) });
    if (outcome.applicable && isDriftedScore(test, outcome.score, componentThreshold)) drifted.push(k);
  }
  const score = drifted.length / d;
  return { method: "ratio", score, threshold, drifted: score > threshold, details: { component_test: componentTest, drifted_components: drifted } };
}

function isDriftedScore(test: ReturnType<typeof getTest>, score: number, threshold: number): boolean {
  switch (test.drifts) {
    case "lte":
      return score <= threshold;
    case "lt":
      return score < threshold;
    case "gte":
      return score >= threshold;
    case "gt":
      return score > threshold;
  }
}

export interface ModelOptions {
  projectTo?: number;
  aucThreshold?: number;
  seed?: number;
  maxRows?: number;
}

export function modelDrift(reference: Embeddings, current: Embeddings, options: ModelOptions = {}): EmbeddingDriftResult {
  const { projectTo = 32, aucThreshold = 0.55, seed = 0x5eed, maxRows = 10_000 } = options;
  const d = dimensionOf(reference, current);
  const projection = d > projectTo ? gaussianProjection(d, projectTo, seed) : undefined;
  const width = projection === undefined ? d : projectTo;
  const columns = Array.from({ length: width }, (_, k) => ({ name: `c${k}`, kind: "numerical" as const }));
  const side = (rows: Embeddings) => {
    const out = new Map<string, Float64Array>();
    for (let k = 0; k < width; k++) out.set(`c${k}`, new Float64Array(rows.length));
    rows.forEach((row, i) => {
      for (let k = 0; k < width; k++) {
        let value = 0;
        if (projection === undefined) value = row[k] as number;
        else for (let j = 0; j < d; j++) value += (projection[k * d + j] as number) * (row[j] as number);
        out.get(`c${k}`)![i] = value;
      }
    });
    return out;
  };
  const result = domainClassifierDrift({ columns, reference: side(reference), current: side(current) }, { aucThreshold, seed, maxRows, topFeatures: 0 });
  return { method: "model", score: result.auc, threshold: aucThreshold, drifted: result.drifted, details: { ci95: result.ci95, projected_to: projection === undefined ? null : projectTo } };
}

/** A d → k Gaussian random projection matrix (k × d, entries N(0, 1/k)), seeded. */
export function gaussianProjection(d: number, k: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const matrix = new Float64Array(k * d);
  const scale = 1 / Math.sqrt(k);
  for (let i = 0; i < matrix.length; i++) {
    // Box-Muller from two uniforms; 1 − u keeps the log finite.
    matrix[i] = scale * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return matrix;
}

export interface MmdOptions {
  permutations?: number;
  alpha?: number;
  maxRows?: number;
  seed?: number;
}

export function mmdDrift(reference: Embeddings, current: Embeddings, options: MmdOptions = {}): EmbeddingDriftResult {
  const { permutations = 200, alpha = 0.05, maxRows = 1500, seed = 0x5eed } = options;
  const d = dimensionOf(reference, current);
  const x = Array.from(sampleRows(reference.length, maxRows, seed), (i) => reference[i]!);
  const y = Array.from(sampleRows(current.length, maxRows, seed + 1), (i) => current[i]!);
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) throw new MultivariateInputError("mmd needs at least two rows on each side");
  const pooled = [...x, ...y];
  const total = m + n;
  const squared = new Float64Array(total * total);
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      let s = 0;
      const a = pooled[i]!;
      const b = pooled[j]!;
      for (let k = 0; k < d; k++) s += ((a[k] as number) - (b[k] as number)) ** 2;
      squared[i * total + j] = s;
      squared[j * total + i] = s;
    }
  }
  // Median heuristic over reference × current pairs, as Evidently.
  const cross = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cross[i * n + j] = Math.sqrt(squared[i * total + m + j] as number);
  const median = percentile(cross, 50);
  const gamma = median > 0 ? 1 / (median * median) : 1;
  const kernel = new Float64Array(total * total);
  for (let i = 0; i < total * total; i++) kernel[i] = Math.exp(-gamma * (squared[i] as number));
  const order = Int32Array.from({ length: total }, (_, i) => i);
  const observed = mmd2u(kernel, total, order, m);
  const next = mulberry32(seed + 2);
  let atLeast = 0;
  for (let round = 0; round < permutations; round++) {
    for (let i = total - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    if (mmd2u(kernel, total, order, m) >= observed) atLeast++;
  }
  const pValue = (1 + atLeast) / (1 + permutations);
  return { method: "mmd", score: Math.max(observed, 0), threshold: alpha, drifted: pValue < alpha, details: { p_value: pValue, gamma, permutations, rows: { reference: m, current: n } } };
}

/**
 * Unbiased MMD² (Gretton et al. 2012, eq. 3) of the first m indices of `order` against the
 * rest: mean k(x, x') over distinct pairs + mean k(y, y') − 2 mean k(x, y).
 */
export function mmd2u(kernel: Float64Array, total: number, order: Int32Array, m: number): number {
  const n = total - m;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let a = 0; a < total; a++) {
    const i = order[a] as number;
    for (let b = a + 1; b < total; b++) {
      const value = kernel[i * total + (order[b] as number)] as number;
      if (b < m) xx += value;
      else if (a >= m) yy += value;
      else xy += value;
    }
  }
  return (2 * xx) / (m * (m - 1)) + (2 * yy) / (n * (n - 1)) - (2 * xy) / (m * n);
}

/** numpy.percentile's default (linear interpolation between order statistics). */
export function percentile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = ((sorted.length - 1) * q) / 100;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}
