// Collects JSON-like object rows ({ column: value }) into columns, for the JSON Lines
// and JSON array readers. Columns are the union of all keys, in first-seen order; a
// key absent from a row is a missing value there.

import type { RawValue } from "../drift/types.ts";
import { checkWantedColumns, DatasetError, datasetFromColumns, type Dataset } from "./dataset.ts";

class ValueColumn {
  values: RawValue[] = [];
  // While every value is a number, missing is stored as NaN so the array stays packed
  // doubles; at the first other value the NaNs become null.
  numeric = true;

  constructor(missingBefore: number) {
    for (let row = 0; row < missingBefore; row++) this.values.push(Number.NaN);
  }

  add(value: RawValue): void {
    if (value === null || value === undefined) {
      this.values.push(this.numeric ? Number.NaN : null);
      return;
    }
    if (this.numeric && typeof value !== "number") {
      this.numeric = false;
      for (let row = 0; row < this.values.length; row++) {
        if (Number.isNaN(this.values[row])) this.values[row] = null;
      }
    }
    this.values.push(value);
  }
}

export class ObjectRowsBuilder {
  private readonly columns = new Map<string, ValueColumn>();
  private readonly wanted: ReadonlySet<string> | undefined;
  // Every key seen, kept or not, in first-seen order: for the missing-column message.
  private readonly keys = new Set<string>();
  private rowCount = 0;
  private cellCount = 0;

  /** `wanted`: keep only these keys (see ReadOptions.columns). */
  constructor(wanted?: readonly string[]) {
    this.wanted = wanted === undefined ? undefined : new Set(wanted);
  }

  get rows(): number {
    return this.rowCount;
  }

  get cells(): number {
    return this.cellCount;
  }

  /** Adds one row; `where` names it in errors ("line 3", "element 7"). */
  add(row: unknown, where: string): void {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new DatasetError(`${where}: expected a JSON object, found ${describeJson(row)}`);
    }
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      if (this.wanted === undefined || this.wanted.has(key)) this.columns.set(key, new ValueColumn(this.rowCount));
    }
    for (const [key, column] of this.columns) {
      column.add(toRawValue(record[key]));
    }
    this.rowCount++;
    this.cellCount += this.columns.size;
  }

  finish(): Dataset {
    if (this.wanted !== undefined) checkWantedColumns([...this.wanted], [...this.keys]);
    const values = new Map<string, RawValue[]>();
    for (const [key, column] of this.columns) values.set(key, column.values);
    return datasetFromColumns(values);
  }
}

/** Scalars pass through; nested objects and arrays become their JSON text (a category). */
export function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  return JSON.stringify(value);
}

function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
