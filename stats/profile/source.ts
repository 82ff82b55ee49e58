// The two shapes a reference dataset arrives in: rows of objects (JSON, tests) or a
// columnar table such as stats/io's Dataset. The builder reads columns either way.

/** A columnar table: stats/io's `Dataset` satisfies this. */
export interface ColumnarSource {
  readonly columns: readonly string[];
  get(name: string): readonly unknown[];
}

export type ProfileSource = readonly Readonly<Record<string, unknown>>[] | ColumnarSource;

export interface ColumnReader {
  /** Column names in first-seen order. */
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** The column's values, one per row (undefined where a row lacks the key). */
  column(name: string): readonly unknown[];
}

function isColumnar(source: ProfileSource): source is ColumnarSource {
  return !Array.isArray(source);
}

export function columnReader(source: ProfileSource): ColumnReader {
  if (isColumnar(source)) {
    const first = source.columns[0];
    return {
      columns: source.columns,
      rowCount: first === undefined ? 0 : source.get(first).length,
      column: (name) => source.get(name),
    };
  }
  const rows = source as readonly Readonly<Record<string, unknown>>[];
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return {
    columns: [...seen],
    rowCount: rows.length,
    column: (name) => rows.map((row) => row[name]),
  };
}
