// Profiles an uploaded reference dataset against the version's feature schema: the schema
// says which columns are features and of what kind; `prediction`, when the upload has it,
// is the prediction column. Schema features the upload lacks are left out and reported
// (as a frozen range reports features with no values); columns outside the schema are ignored.
import type { RawValue } from "../../stats/drift/types.ts";
import { fitCalibration } from "../../stats/estimation/calibration.ts";
import { sampleRows } from "../../stats/multivariate/rows.ts";
import type { Dataset } from "../../stats/io/dataset.ts";
import { buildProfile, ProfileBuildError } from "../../stats/profile/build.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { ApiError } from "../errors.ts";
// Embedding features are not profiled here (the caller passes scalarFeatures of the schema).
import type { ScalarFeatureSpec as FeatureSpec } from "../registry/feature-schema.ts";
import { firstUnsafeText } from "../security/unsafe-text.ts";
import type { UploadFormat } from "./read-upload.ts";

export const PREDICTION_COLUMN = "prediction";
/** With `actual`, calibrates scores for the label-free performance estimate (docs/ml-drift.md). */
export const SCORE_COLUMN = "score";
export const ACTUAL_COLUMN = "actual";
const CALIBRATION_COLUMNS = [SCORE_COLUMN, ACTUAL_COLUMN];

export interface UploadSummary {
  format: UploadFormat;
  rows: number;
  /** Schema features profiled. */
  features: string[];
  /** Schema features the upload has no column for. */
  omitted_features: string[];
  /** Upload columns that are neither a schema feature nor `prediction`. */
  ignored_columns: string[];
  /** Whether the upload's `prediction` column was profiled. */
  prediction: boolean;
  /**
   * The score calibration fitted from `score` and `actual` columns: rows used and map
   * points, or why none was fitted; null when the upload has no such columns.
   */
  calibration: { rows: number; points: number } | { reason: string } | null;
}

interface Matched {
  features: FeatureSpec[];
  omitted: string[];
  ignored: string[];
}

/** Which of the upload's columns the schema uses. 422 when none of them is a schema feature. */
export function matchSchema(columns: readonly string[], schema: readonly FeatureSpec[]): Matched {
  const present = new Set(columns);
  const names = new Set(schema.map((f) => f.name));
  const features = schema.filter((f) => present.has(f.name));
  if (features.length === 0) {
    const expected = schema.slice(0, 20).map((f) => f.name);
    const message = schema.length === 0
      ? "the version has no feature schema to profile an upload against; set its feature_schema or upload a { profile }"
      : `no column of the upload is a feature of the version's schema (expected ${expected.join(", ")}${schema.length > expected.length ? ", …" : ""}; found ${columns.slice(0, 20).join(", ") || "no columns"})`;
    throw new ApiError(422, "no_schema_columns", message, { expected: schema.map((f) => f.name), found: [...columns] });
  }
  return {
    features,
    omitted: schema.filter((f) => !present.has(f.name)).map((f) => f.name),
    ignored: columns.filter((c) => !names.has(c) && c !== PREDICTION_COLUMN && !CALIBRATION_COLUMNS.includes(c)),
  };
}

/** The columns worth parsing out of a CSV with this header (422 early when none is of use). */
export function keepColumns(schema: readonly FeatureSpec[]) {
  return (header: readonly string[]): string[] => {
    const { features } = matchSchema(header, schema);
    return [...features.map((f) => f.name), ...[PREDICTION_COLUMN, ...CALIBRATION_COLUMNS].filter((name) => header.includes(name))];
  };
}

function hasValue(values: Iterable<unknown>): boolean {
  for (const v of values) if (v !== null && v !== undefined && v !== "" && !(typeof v === "number" && Number.isNaN(v))) return true;
  return false;
}

/**
 * The profile of an uploaded dataset. 400 for an empty one or a column with no usable
 * value (named), 422 when no column matches the schema.
 */
/** Rows of the upload kept with the baseline for the multivariate scores (durable/monitor/joint-rows.ts). */
export const JOINT_SAMPLE_ROWS = 5_000;

/**
 * A seeded uniform sample of up to JOINT_SAMPLE_ROWS rows of the profiled features, column
 * by column. Features tagged `pii` are left out: these rows keep one record's values
 * together (docs/compliance.md).
 */
function jointSample(dataset: Dataset, features: readonly FeatureSpec[]): Record<string, RawValue[]> {
  const picked = sampleRows(dataset.rows, JOINT_SAMPLE_ROWS, 0x5eed);
  const out: Record<string, RawValue[]> = {};
  for (const { name } of features.filter((f) => f.pii === undefined)) {
    const numbers = dataset.numbers(name);
    const values = numbers ?? dataset.get(name);
    out[name] = Array.from(picked, (row) => {
      const value = values[row];
      return typeof value === "number" && Number.isNaN(value) ? null : (value ?? null);
    });
  }
  return out;
}

export function profileUpload(
  dataset: Dataset,
  format: UploadFormat,
  schema: readonly FeatureSpec[],
  columns: readonly string[] = dataset.columns,
): { profile: Profile; summary: UploadSummary; jointRows: Record<string, RawValue[]> } {
  if (dataset.rows === 0) {
    throw new ApiError(400, "empty_dataset", format === "csv" ? "the CSV has a header but no data rows" : "the upload holds no rows");
  }
  const { features, omitted, ignored } = matchSchema(columns, schema);
  // Packed numeric columns are handed over as they are: the builder only iterates them,
  // and dataset.get() would keep a plain-array copy of each one until the request ends.
  const column = (name: string) => dataset.numbers(name) ?? dataset.get(name);
  const prediction = dataset.has(PREDICTION_COLUMN) && hasValue(column(PREDICTION_COLUMN));
  let profile: Profile;
  try {
    profile = buildProfile(
      { columns: dataset.columns, get: (name) => column(name) as unknown as readonly unknown[] },
      {
        features: features.map((f) => ({ name: f.name, kind: f.kind })),
        ...(prediction ? { prediction: PREDICTION_COLUMN } : {}),
        createdAt: new Date().toISOString(),
      },
    );
  } catch (error) {
    if (error instanceof ProfileBuildError) throw new ApiError(400, "invalid_baseline", error.message);
    throw error;
  }
  let calibration: UploadSummary["calibration"] = null;
  if (dataset.has(SCORE_COLUMN) && dataset.has(ACTUAL_COLUMN)) {
    const map = fitCalibration(column(SCORE_COLUMN), column(ACTUAL_COLUMN));
    if ("reason" in map) calibration = { reason: map.reason };
    else {
      profile = { ...profile, calibration: map };
      calibration = { rows: map.rows, points: map.x.length };
    }
  }
  const summary = { format, rows: dataset.rows, features: features.map((f) => f.name), omitted_features: omitted, ignored_columns: ignored, prediction, calibration };
  refuseUnsafeText(profile, summary);
  return { profile, summary, jointRows: jointSample(dataset, features) };
}

/**
 * 400 naming the column when a value that reached the profile (a category) or an ignored
 * column's name cannot be stored (NUL, a lone surrogate: security/unsafe-text.ts); the
 * profile is kept as jsonb and the column names go into the audit note.
 */
function refuseUnsafeText(profile: Profile, summary: UploadSummary): void {
  for (const feature of [...profile.features, ...(profile.prediction ? [profile.prediction] : [])]) {
    const issue = firstUnsafeText(feature);
    if (issue) throw new ApiError(400, "validation_failed", `column ${feature.name}: a value ${issue.error}`, [{ field: feature.name, error: `a value ${issue.error}` }]);
  }
  const issue = firstUnsafeText(summary.ignored_columns);
  if (issue) throw new ApiError(400, "validation_failed", `a column name ${issue.error}`, [{ field: "(columns)", error: `a column name ${issue.error}` }]);
}
