// Which columns `vigil drift` judges, and as what kind. Without --numerical or
// --categorical: every column the two files share, in reference order, numerical when
// all present values in both files are numbers. With them: exactly the listed columns.
// Every judged column must exist and hold values in both files.

import { allLabelsMissing, isCodedLabels } from "../stats/drift/coded-labels.ts";
import type { ColumnKind, DriftColumn, RawColumn, RawValue } from "../stats/drift/types.ts";
import { inferKind, isMissing, missingColumnError } from "../stats/io/dataset.ts";
import type { Dataset } from "../stats/io/dataset.ts";
import { parseNumberText } from "../stats/io/text-values.ts";
import { CliError } from "./cli-error.ts";

export interface NamedDataset {
  /** The path the user gave, used in messages. */
  path: string;
  data: Dataset;
}

export interface SelectedColumn {
  name: string;
  kind: ColumnKind;
  reference: DriftColumn;
  current: DriftColumn;
}

export function selectColumns(
  reference: NamedDataset,
  current: NamedDataset,
  numerical: readonly string[],
  categorical: readonly string[],
  /** Columns judged elsewhere (embeddings): never inferred as one of these. */
  exclude: readonly string[] = [],
): SelectedColumn[] {
  const explicit = numerical.length > 0 || categorical.length > 0;
  const wanted: Array<{ name: string; kind: ColumnKind | undefined }> = explicit
    ? [
        ...numerical.map((name) => ({ name, kind: "numerical" as const })),
        ...categorical.map((name) => ({ name, kind: "categorical" as const })),
      ]
    : commonColumns(reference, current)
        .filter((name) => !exclude.includes(name))
        .map((name) => ({ name, kind: undefined }));

  for (const { name } of wanted) {
    for (const side of [reference, current]) {
      if (!side.data.has(name)) throw new CliError(`${side.path}: ${missingColumnError(name, side.data.columns).message}`);
    }
  }
  return wanted.map(({ name, kind }) => {
    const columnKind = kind ?? sharedKind(reference.data, current.data, name);
    return {
      name,
      kind: columnKind,
      reference: prepare(reference, name, columnKind),
      current: prepare(current, name, columnKind),
    };
  });
}

function commonColumns(reference: NamedDataset, current: NamedDataset): string[] {
  const common = reference.data.columns.filter((name) => current.data.has(name));
  if (common.length === 0) {
    throw new CliError(`${reference.path} and ${current.path} have no column in common`);
  }
  return common;
}

function sharedKind(reference: Dataset, current: Dataset, name: string): ColumnKind {
  return kindOf(reference, name) === "numerical" && kindOf(current, name) === "numerical" ? "numerical" : "categorical";
}

/**
 * inferKind of one side's column; a packed column is numerical when it has a number that
 * is not NaN, a coded one (text labels) categorical.
 */
function kindOf(data: Dataset, name: string): ColumnKind {
  if (data.codedLabels(name) !== undefined) return "categorical";
  const numbers = data.numbers(name);
  if (numbers === undefined) return inferKind(data.get(name));
  for (let row = 0; row < numbers.length; row++) if (!Number.isNaN(numbers[row])) return "numerical";
  return "categorical";
}

/**
 * The column's values, checked to be non-empty after cleaning. For a column given as
 * numerical, text that spells a number is read as that number (JSON files often quote
 * numbers); anything else is an error naming the row.
 */
function prepare(side: NamedDataset, name: string, kind: ColumnKind): DriftColumn {
  // Packed numbers and label codes go to the tests as they are; otherwise the values.
  let prepared: DriftColumn | undefined = kind === "numerical" ? side.data.numbers(name) : side.data.codedLabels(name);
  prepared ??= kind === "numerical" ? asNumbers(side.data.get(name), side.path, name) : side.data.get(name);
  // Stops at the first present value: a full count cost ~3% of a 1M-row run.
  if (isCodedLabels(prepared) ? allLabelsMissing(prepared) : isAllMissing(prepared)) {
    const hint = side.data.rows === 0 ? "the file has no rows" : "every value is missing";
    throw new CliError(`${side.path}: column "${name}" is empty (${hint})`);
  }
  return prepared;
}

function asNumbers(values: RawValue[], path: string, name: string): RawValue[] {
  let converted: RawValue[] | undefined;
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (value === null || value === undefined || typeof value === "number") continue;
    const number = typeof value === "string" ? parseNumberText(value) : undefined;
    if (number === undefined) {
      throw new CliError(
        `${path}: column "${name}" is given as numerical but row ${row + 1} holds ${JSON.stringify(value)}`,
      );
    }
    converted ??= values.slice();
    converted[row] = number;
  }
  return converted ?? values;
}

function isAllMissing(values: RawColumn): boolean {
  for (let row = 0; row < values.length; row++) if (!isMissing(values[row] as RawValue)) return false;
  return true;
}
