// The contract between the batch drift tests (stats/drift), their registry and
// their callers (the `vigil drift` CLI, reports). Tests compute a score; only the
// registry decides `drifted`, from the test's direction and comparison.

import type { StatTestId } from "../kernel/stat-test-id.ts";

export type ColumnKind = "numerical" | "categorical";

/** Whether a score is a p-value (small means drift) or a distance (large means drift). */
export type Direction = "p_value" | "distance";

/** How a score is compared with its threshold to decide drift (docs/drift-tests.md "The tests"). */
export type Comparison = "lte" | "lt" | "gte" | "gt";

/** A cleaned column: finite numbers for numerical columns, strings for categorical ones. */
export type CleanColumn =
  | {
      kind: "numerical";
      values: Float64Array;
      /**
       * True when pandas would hold the column as int64: every value an integer and none
       * missing. numpy's Sturges binning then uses bins at least 1 wide.
       */
      integer?: boolean;
    }
  | { kind: "categorical"; values: readonly string[] }
  | { kind: "categorical"; tally: LabelTally };

/**
 * A cleaned categorical column given by its counts (what label codes clean to): each
 * present label once, in the order of its first row, with its number of rows. The tests
 * only count categories, so this is all they need of a column read as codes.
 */
export interface LabelTally {
  readonly labels: readonly string[];
  readonly counts: Float64Array;
  /** Rows with a present label: the sum of counts. */
  readonly size: number;
}

/** What a drift test returns: a score, or why it does not apply. Never a made-up number. */
export type TestOutcome = { applicable: true; score: number } | { applicable: false; reason: string };

export interface DriftTestDescription {
  /** The Evidently test id, e.g. "ks", "psi", "TVD"; shared with the streaming scores (stats/kernel/stat-test-id.ts). */
  readonly id: StatTestId;
  readonly kinds: readonly ColumnKind[];
  readonly defaultThreshold: number;
  readonly direction: Direction;
  readonly drifts: Comparison;
  /**
   * Binned tests only: whether zero bin shares are replaced by eps before scoring
   * (psi, kl_div: eps = min(nonzero)/1e6 when that minimum is ≤ 1e-4, else 1e-4;
   * jensenshannon: no filling). See stats/kernel/zero-fill.ts.
   */
  readonly zeroFilling?: boolean;
}

export interface DriftTest extends DriftTestDescription {
  run(reference: CleanColumn, current: CleanColumn): TestOutcome;
}

/** One row of `vigil drift --json` "columns". */
export interface ColumnDriftResult {
  column: string;
  kind: ColumnKind;
  test: string;
  score: number;
  threshold: number;
  drifted: boolean;
  direction: Direction;
  default: boolean;
}

/** One row of `vigil drift --json` "not_applicable". */
export interface NotApplicableResult {
  column: string;
  test: string;
  reason: string;
}

export interface DatasetDriftSummary {
  number_of_columns: number;
  number_of_drifted_columns: number;
  share_of_drifted_columns: number;
  drift_share_threshold: number;
  dataset_drift: boolean;
}

export interface DriftReport {
  columns: ColumnDriftResult[];
  not_applicable: NotApplicableResult[];
  dataset: DatasetDriftSummary;
}

/** A raw input column before cleaning: numbers, strings, or missing (null/undefined/NaN/±Infinity). */
export type RawValue = number | string | boolean | null | undefined;

/** A raw column: values, or packed doubles (what readers produce for numeric columns). */
export type RawColumn = readonly RawValue[] | Float64Array;

/**
 * A text column as label codes (what the CSV reader keeps): row i holds labels[codes[i]],
 * null for a missing cell. Categories are counted from the codes, never from one string
 * per row (stats/drift/coded-labels.ts).
 */
export interface CodedLabels {
  readonly codes: Uint16Array;
  readonly labels: ReadonlyArray<string | null>;
}

/** A column as computeDrift takes it: raw values, packed doubles, or label codes. */
export type DriftColumn = RawColumn | CodedLabels;

export interface DriftRequest {
  /** Column name → raw reference values. Every requested column must be present in both. */
  reference: ReadonlyMap<string, DriftColumn>;
  current: ReadonlyMap<string, DriftColumn>;
  /** Columns to judge, in output order, with their kinds (already inferred or given). */
  columns: ReadonlyArray<{ name: string; kind: ColumnKind }>;
  /** Extra tests asked for beyond each column's default; "all" asks for every applicable test. */
  tests?: readonly string[] | "all";
  /** Overrides every test's default threshold when set. */
  threshold?: number;
  /** Dataset drift share threshold (default 0.5). */
  driftShareThreshold?: number;
}
