// Data reconstruction error (NannyML's multivariate drift method, "Data Reconstruction
// with PCA", docs/how_it_works/data_reconstruction.rst in NannyML/nannyml):
//
// 1. Encode: numerical values, missing ones imputed with the reference mean; categorical
//    values as their frequency in the reference (category_encoders' CountEncoder with
//    normalize=True), a category the reference never saw as 0.
// 2. Standardise every encoded column with the reference mean and population standard
//    deviation (scikit-learn's StandardScaler).
// 3. Fit PCA on the standardised reference (eigenvectors of its covariance) and keep the
//    fewest components whose explained-variance share exceeds `varianceShare` (0.65 by
//    default, as NannyML: scikit-learn picks k = searchsorted(cumsum, share, "right") + 1).
// 4. A row's error is the Euclidean distance between it and its reconstruction from the
//    kept components: ‖(z − μ) − VₖᵀVₖ(z − μ)‖₂ = √(‖z − μ‖² − ‖Vₖ(z − μ)‖²). A window's
//    score is the mean over its rows.
// 5. Thresholds: the reference cut into `referenceChunks` chunks (10, NannyML's default
//    chunk count); lower/upper = mean ± 3σ of the chunks' mean errors (σ with ddof 0, as
//    numpy's std). A current window smaller than a chunk has a noisier mean, so σ is
//    widened by √(chunk rows / window rows) there (the standard error of a mean of
//    independent rows); it is never narrowed for larger windows.

import type { RawColumn } from "../drift/types.ts";
import { square, symmetricEigen } from "./matrix.ts";
import { columnScale, labelAt, type Matrix, MultivariateInputError, type MultivariateInput, numberAt, rowCount, sampleRows, standardize } from "./rows.ts";

export interface ReconstructionOptions {
  /** Share of variance the kept components must exceed (0 < share < 1). */
  varianceShare?: number;
  /** At most this many rows per side are used (a seeded uniform sample beyond it). */
  maxRows?: number;
  referenceChunks?: number;
  seed?: number;
}

export interface ReconstructionResult {
  error: number;
  lower: number;
  upper: number;
  drifted: boolean;
  components: number;
  explained_variance: number;
  reference_error: number;
  rows: { reference: number; current: number };
}

const DEFAULTS = { varianceShare: 0.65, maxRows: 200_000, referenceChunks: 10, seed: 0x5eed };

/** A fitted reconstruction model: encode and score any rows against it. */
export interface ReconstructionModel {
  components: number;
  explainedVariance: number;
  /** Per-row errors of `rows` of `side`. */
  errors(side: MultivariateInput["reference"], rows: Int32Array): Float64Array;
}

export function fitReconstruction(input: MultivariateInput, rows: Int32Array, varianceShare: number): ReconstructionModel {
  if (!(varianceShare > 0 && varianceShare < 1)) throw new RangeError(`varianceShare must be between 0 and 1, not ${varianceShare}`);
  const encoders = input.columns.map(({ name, kind }) => {
    const column = input.reference.get(name)!;
    if (kind === "numerical") {
      let sum = 0;
      let count = 0;
      for (const row of rows) {
        const x = numberAt(column, row);
        if (!Number.isNaN(x)) {
          sum += x;
          count++;
        }
      }
      const mean = count > 0 ? sum / count : 0;
      return (column: RawColumn, row: number) => {
        const x = numberAt(column, row);
        return Number.isNaN(x) ? mean : x;
      };
    }
    const frequency = new Map<string, number>();
    for (const row of rows) {
      const label = labelAt(column, row);
      frequency.set(label, (frequency.get(label) ?? 0) + 1);
    }
    for (const [label, count] of frequency) frequency.set(label, count / rows.length);
    return (column: RawColumn, row: number) => frequency.get(labelAt(column, row)) ?? 0;
  });
  const encode = (side: MultivariateInput["reference"], picked: Int32Array): Matrix => {
    const width = encoders.length;
    const data = new Float64Array(picked.length * width);
    encoders.forEach((encoder, c) => {
      const column = side.get(input.columns[c]!.name)!;
      for (let r = 0; r < picked.length; r++) data[r * width + c] = encoder(column, picked[r] as number);
    });
    return { rows: picked.length, width, data };
  };

  const reference = encode(input.reference, rows);
  const { mean: scaleMean, scale } = columnScale(reference);
  standardize(reference, scaleMean, scale);
  // PCA centres on the standardised reference's own mean (zero up to rounding).
  const { mean: center } = columnScale(reference);
  const d = reference.width;
  const covariance = square(d);
  for (let r = 0; r < reference.rows; r++) {
    for (let i = 0; i < d; i++) {
      const zi = (reference.data[r * d + i] as number) - (center[i] as number);
      for (let j = i; j < d; j++) covariance.data[i * d + j] = (covariance.data[i * d + j] as number) + zi * ((reference.data[r * d + j] as number) - (center[j] as number));
    }
  }
  for (let i = 0; i < d * d; i++) covariance.data[i] = (covariance.data[i] as number) / Math.max(reference.rows - 1, 1);
  const { values, vectors } = symmetricEigen(covariance);
  let total = 0;
  for (const value of values) total += Math.max(value, 0);
  let kept = 0;
  let cumulative = 0;
  while (kept < d) {
    cumulative += Math.max(values[kept] as number, 0) / (total || 1);
    kept++;
    if (cumulative > varianceShare) break;
  }
  const components = kept;
  const explainedVariance = cumulative;

  return {
    components,
    explainedVariance,
    errors(side, picked) {
      const matrix = encode(side, picked);
      standardize(matrix, scaleMean, scale);
      const out = new Float64Array(matrix.rows);
      const centred = new Float64Array(d);
      for (let r = 0; r < matrix.rows; r++) {
        let norm = 0;
        for (let i = 0; i < d; i++) {
          const value = (matrix.data[r * d + i] as number) - (center[i] as number);
          centred[i] = value;
          norm += value * value;
        }
        // The kept components are orthonormal, so ‖y − VₖᵀVₖy‖² = ‖y‖² − ‖Vₖy‖²: one
        // projection per row instead of a projection and a reconstruction.
        let projected = 0;
        for (let k = 0; k < components; k++) {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += (vectors[k * d + i] as number) * (centred[i] as number);
          projected += dot * dot;
        }
        out[r] = Math.sqrt(Math.max(norm - projected, 0));
      }
      return out;
    },
  };
}

/** The reconstruction-error drift of `current` against `reference` (see the file comment). */
export function reconstructionDrift(input: MultivariateInput, options: ReconstructionOptions = {}): ReconstructionResult {
  const settings = { ...DEFAULTS, ...options };
  const referenceRows = sampleRows(rowCount(input.columns, input.reference, "reference"), settings.maxRows, settings.seed);
  const currentRows = sampleRows(rowCount(input.columns, input.current, "current"), settings.maxRows, settings.seed + 1);
  const chunks = settings.referenceChunks;
  if (referenceRows.length < 2 * chunks) throw new MultivariateInputError(`the reconstruction error needs at least ${2 * chunks} reference rows, not ${referenceRows.length}`);
  if (currentRows.length === 0) throw new MultivariateInputError("the reconstruction error needs at least one current row");
  const model = fitReconstruction(input, referenceRows, settings.varianceShare);
  const referenceErrors = model.errors(input.reference, referenceRows);
  const currentErrors = model.errors(input.current, currentRows);

  // Chunks in row order, sized as numpy.array_split sizes them (the first n mod k get one more row).
  const base = Math.floor(referenceErrors.length / chunks);
  const extra = referenceErrors.length % chunks;
  const chunkMeans = new Float64Array(chunks);
  for (let c = 0, start = 0; c < chunks; c++) {
    const end = start + base + (c < extra ? 1 : 0);
    chunkMeans[c] = mean(referenceErrors.subarray(start, end));
    start = end;
  }
  const chunkRows = referenceErrors.length / chunks;
  const center = mean(chunkMeans);
  let spread = 0;
  for (const value of chunkMeans) spread += (value - center) ** 2;
  spread = Math.sqrt(spread / chunks);
  if (currentErrors.length < chunkRows) spread *= Math.sqrt(chunkRows / currentErrors.length);
  const error = mean(currentErrors);
  const lower = center - 3 * spread;
  const upper = center + 3 * spread;
  return {
    error,
    lower,
    upper,
    drifted: error > upper || error < lower,
    components: model.components,
    explained_variance: model.explainedVariance,
    reference_error: mean(referenceErrors),
    rows: { reference: referenceRows.length, current: currentRows.length },
  };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}
