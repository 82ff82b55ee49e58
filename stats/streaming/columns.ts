// A batch of events in columns, the shape live windows count fastest: one typed array
// per numerical feature, dictionary codes per categorical feature. Counting a column
// walks one array instead of looking a name up in every event record, and a
// categorical column resolves each distinct label to its profile cell once per batch
// rather than once per event.
//
// Missing cells are NaN in a numerical column and MISSING_CODE in a categorical one.
// Which rows to count is an optional index list (null = every row), so a batch whose
// events fall into several time buckets is counted bucket by bucket without copying.

export const MISSING_CODE = -1;

export interface NumericalColumn {
  readonly kind: "numerical";
  readonly name: string;
  /** NaN where the event had no value. */
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly name: string;
  /** Index into `dictionary`, or MISSING_CODE. */
  readonly codes: Int32Array;
  /** Distinct labels in order of first appearance in the batch. */
  readonly dictionary: readonly string[];
}

export type Column = NumericalColumn | CategoricalColumn;

export interface ColumnBatch {
  readonly length: number;
  readonly features: readonly Column[];
  /** One prediction label per row (string, number or boolean). */
  readonly predictions: readonly unknown[];
  /**
   * Per column (in `features` order): the rows, ascending, whose event lacked the key
   * entirely (as opposed to a null), or null when every event had it. Such cells are
   * also missing in the column. Absent: no event lacked any key.
   */
  readonly absentRows?: readonly (Int32Array | null)[];
  /** Keys outside `features` that events carried: row `unknownRows[i]` had key `unknownKeys[i]` (rows ascending). */
  readonly unknownRows?: Int32Array;
  readonly unknownKeys?: readonly string[];
}

/** Row indices to count: a subset, or null for all `length` rows. */
export type RowSelection = Int32Array | null;

export const selectedCount = (rows: RowSelection, length: number): number => (rows === null ? length : rows.length);

/** The cell as an event record would have held it: a number, a label, or null when missing. */
export function rawCell(column: Column, row: number): number | string | null {
  if (column.kind === "numerical") {
    const x = column.values[row] as number;
    return Number.isNaN(x) ? null : x;
  }
  const code = column.codes[row] as number;
  return code === MISSING_CODE ? null : (column.dictionary[code] as string);
}
