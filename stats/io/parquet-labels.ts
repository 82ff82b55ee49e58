// A Parquet string column as label codes, the form the CSV reader keeps a text column in
// (csv-column.ts, label-codes.ts): one Uint16Array code per row and a table of labels,
// code 0 for null. A categorical column repeats a handful of strings, so codes take 2
// bytes a row where a string reference takes 8 (fresh memory is most of the cost of
// reading: 20 MB against 80 MB of first writes for the benchmark pair's 5 × 2 × 1M
// labels), and the drift tests count categories from codes (stats/drift/coded-labels.ts)
// rather than from one string per row. A dictionary's strings get their codes once;
// past MAX_LABELS distinct strings the column is more like an id, and it becomes one
// value per row, as before.

import type { CodedLabels, RawValue } from "../drift/types.ts";
import { MAX_LABELS } from "./label-codes.ts";

export class LabelStorage {
  private readonly rows: number;
  private codes: Uint16Array | null;
  private readonly labels: Array<string | null> = [null];
  private readonly codeOf = new Map<string, number>();
  private values: RawValue[] | null = null;

  constructor(rows: number) {
    this.rows = rows;
    this.codes = new Uint16Array(rows);
  }

  /**
   * Rows [row, row + count) from dictionary `indices` into `strings`; `defined` (1 per
   * row with a value) when some are null, the indices then being the present rows' only.
   */
  setFromDictionary(row: number, count: number, defined: Int32Array | undefined, indices: Int32Array, dictionary: Dictionary): void {
    const codes = this.codes === null ? null : this.dictionaryCodes(dictionary, row);
    if (codes !== null) {
      const target = this.codes as Uint16Array;
      if (defined === undefined) {
        for (let index = 0; index < count; index++) target[row + index] = codes[indices[index] as number] as number;
      } else {
        for (let index = 0, next = 0; index < count; index++) target[row + index] = defined[index] === 1 ? (codes[indices[next++] as number] as number) : 0;
      }
      return;
    }
    const values = this.values as RawValue[];
    const strings = dictionary.strings;
    for (let index = 0, next = 0; index < count; index++) {
      values[row + index] = defined === undefined || defined[index] === 1 ? (strings[indices[next++] as number] as string) : null;
    }
  }

  /** Rows [row, row + count) from the present rows' `texts` (a PLAIN page); `defined` as above. */
  setFromTexts(row: number, count: number, defined: Int32Array | undefined, texts: readonly string[]): void {
    for (let index = 0, next = 0; index < count; index++) {
      const text = defined === undefined || defined[index] === 1 ? (texts[next++] as string) : null;
      const codes = this.codes;
      if (codes !== null) {
        const code = text === null ? 0 : this.code(text);
        if (code >= 0) {
          codes[row + index] = code;
          continue;
        }
        this.becomeValues(row + index);
      }
      (this.values as RawValue[])[row + index] = text;
    }
  }

  /** The column for the Dataset: codes and labels, or one value per row past MAX_LABELS. */
  column(): CodedLabels | RawValue[] {
    return this.codes === null ? (this.values as RawValue[]) : { codes: this.codes, labels: this.labels };
  }

  /** Each of the dictionary's strings' code, made once per dictionary; null when the column turned to values. */
  private dictionaryCodes(dictionary: Dictionary, row: number): Uint16Array | null {
    if (dictionary.codes !== undefined) return dictionary.codes;
    const codes = new Uint16Array(dictionary.strings.length);
    for (let index = 0; index < codes.length; index++) {
      const code = this.code(dictionary.strings[index] as string);
      if (code < 0) {
        this.becomeValues(row);
        return null;
      }
      codes[index] = code;
    }
    dictionary.codes = codes;
    return codes;
  }

  /** The code of `text`, added when new; -1 when it is new and the table is full. */
  private code(text: string): number {
    const found = this.codeOf.get(text);
    if (found !== undefined) return found;
    if (this.labels.length > MAX_LABELS) return -1;
    const code = this.labels.length;
    this.labels.push(text);
    this.codeOf.set(text, code);
    return code;
  }

  /** Too many distinct strings for codes: rows before `row` are decoded, the rest come as values. */
  private becomeValues(row: number): void {
    const codes = this.codes as Uint16Array;
    const values = new Array<RawValue>(this.rows);
    for (let index = 0; index < row; index++) values[index] = this.labels[codes[index] as number] as string | null;
    this.values = values;
    this.codes = null;
  }
}

/** A dictionary page's strings, and their codes once a LabelStorage has given them. */
export interface Dictionary {
  readonly strings: readonly string[];
  codes?: Uint16Array;
}
