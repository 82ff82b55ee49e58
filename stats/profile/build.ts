// Builds a reference profile from a reference dataset: per feature its moments, a KLL
// sketch, fixed reference bins (numerical) or capped category frequencies
// (categorical), and the same for the model's prediction column.

import type { ColumnKind } from "../drift/types.ts";
import { KLL_DEFAULT_K, KllSketch } from "../sketch/kll.ts";
import { binCounts, equalWidthEdges, quantileEdges } from "./bins.ts";
import type { Binning } from "./bins.ts";
import { DEFAULT_MAX_CATEGORIES, topCategories } from "./categories.ts";
import { buildGrid, DEFAULT_GRID_BINS, gridToJson } from "./grid.ts";
import { wassersteinNullTable } from "./grid-null.ts";
import { inferKind } from "./infer-kind.ts";
import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "./schema.ts";
import { columnReader } from "./source.ts";
import type { ProfileSource } from "./source.ts";
import { categoryRejection, numericRejection, toCategory, toFiniteNumber } from "./values.ts";

export const DEFAULT_BINS = 10;

export interface BuildProfileOptions {
  /** Features to profile, with kinds. Default: every column but the prediction, kinds inferred. */
  features?: ReadonlyArray<{ name: string; kind?: ColumnKind }>;
  /** The model-output column, profiled the same way for prediction drift. */
  prediction?: string;
  /** Kind of the prediction column (inferred when omitted). */
  predictionKind?: ColumnKind;
  /** Number of reference bins for numerical features (default 10: deciles). */
  bins?: number;
  /** "quantile" (default): edges at reference quantiles; "equal_width": over the reference range. */
  binning?: Binning;
  /** Categories kept per categorical feature before pooling into "__other__" (default 1000). */
  maxCategories?: number;
  /** KLL k for the reference sketches (default 200). */
  k?: number;
  /** Fine reference quantiles per numerical feature for the live KS and Wasserstein (grid.ts; default 1000, 0 for none). */
  gridBins?: number;
  /** Stored as created_at (ISO 8601); left out when not given, so builds are reproducible. */
  createdAt?: string;
}

export class ProfileBuildError extends Error {
  override name = "ProfileBuildError";
}

export function buildProfile(source: ProfileSource, options: BuildProfileOptions = {}): Profile {
  const reader = columnReader(source);
  const available = new Set(reader.columns);
  const requested: ReadonlyArray<{ name: string; kind?: ColumnKind }> =
    options.features ?? reader.columns.filter((name) => name !== options.prediction).map((name) => ({ name }));
  const settings = {
    bins: options.bins ?? DEFAULT_BINS,
    binning: options.binning ?? "quantile",
    maxCategories: options.maxCategories ?? DEFAULT_MAX_CATEGORIES,
    k: options.k ?? KLL_DEFAULT_K,
    gridBins: options.gridBins ?? DEFAULT_GRID_BINS,
  };
  const profileColumn = (name: string, kind: ColumnKind | undefined): FeatureProfile => {
    if (!available.has(name)) throw new ProfileBuildError(`column "${name}" is not in the reference data`);
    const values = reader.column(name);
    const resolved = kind ?? inferKind(values);
    if (resolved === undefined) throw new ProfileBuildError(`column "${name}" has no values after cleaning`);
    return resolved === "numerical"
      ? profileNumerical(name, values, settings)
      : profileCategorical(name, values, settings.maxCategories);
  };
  const profile: Profile = {
    format: "vigil.profile",
    version: 1,
    ...(options.createdAt === undefined ? {} : { created_at: options.createdAt }),
    rows: reader.rowCount,
    features: requested.map(({ name, kind }) => profileColumn(name, kind)),
    prediction: options.prediction === undefined ? null : profileColumn(options.prediction, options.predictionKind),
  };
  return profile;
}

interface NumericalSettings {
  bins: number;
  binning: Binning;
  k: number;
  /** Fine grid quantiles (default DEFAULT_GRID_BINS); 0 leaves the grid out. */
  gridBins?: number;
}

export function profileNumerical(name: string, raw: readonly unknown[], settings: NumericalSettings): NumericalFeatureProfile {
  const values: number[] = [];
  const rejected = { missing: 0, non_finite: 0, type_violation: 0 };
  for (const cell of raw) {
    const x = toFiniteNumber(cell);
    if (Number.isNaN(x)) rejected[numericRejection(cell)]++;
    else values.push(x);
  }
  if (values.length === 0) throw new ProfileBuildError(`column "${name}" has no values after cleaning`);
  const sorted = Float64Array.from(values).sort();
  const sketch = new KllSketch(settings.k);
  for (const x of values) sketch.update(x);
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  const edges =
    settings.binning === "quantile" ? quantileEdges(sorted, settings.bins) : equalWidthEdges(min, max, settings.bins);
  const counts = binCounts(edges, sorted);
  const { mean, std } = meanAndStd(sorted);
  const gridBins = settings.gridBins ?? DEFAULT_GRID_BINS;
  const grid = gridBins > 0 ? buildGrid(sorted, gridBins) : null;
  return {
    name,
    kind: "numerical",
    moments: {
      count: values.length,
      missing: rejected.missing,
      non_finite: rejected.non_finite,
      type_violations: rejected.type_violation,
      min,
      max,
      mean,
      std,
    },
    sketch: { family: "kll", k: sketch.k, base64: sketch.toBase64() },
    bins: { method: settings.binning, edges, counts, proportions: counts.map((c) => c / values.length) },
    ...(grid === null ? {} : { grid: { ...gridToJson(grid, gridBins), wasserstein_null: wassersteinNullTable(grid, std) } }),
  };
}

/** Two-pass mean and population standard deviation (ddof 0), as numpy.mean / numpy.std. */
function meanAndStd(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const x of values) sum += x;
  const mean = sum / values.length;
  let squares = 0;
  for (const x of values) squares += (x - mean) * (x - mean);
  return { mean, std: Math.sqrt(squares / values.length) };
}

export function profileCategorical(name: string, raw: readonly unknown[], maxCategories: number): CategoricalFeatureProfile {
  const labels: string[] = [];
  let missing = 0;
  let typeViolations = 0;
  for (const cell of raw) {
    const label = toCategory(cell);
    if (label !== undefined) labels.push(label);
    else if (categoryRejection(cell) === "type_violation") typeViolations++;
    else missing++;
  }
  if (labels.length === 0) throw new ProfileBuildError(`column "${name}" has no values after cleaning`);
  return {
    name,
    kind: "categorical",
    moments: { count: labels.length, missing, type_violations: typeViolations },
    categories: { ...topCategories(labels, maxCategories), max_categories: maxCategories },
  };
}
