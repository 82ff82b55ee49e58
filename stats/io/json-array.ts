// JSON array reader: the whole input is one JSON array of objects (as written by
// `DataFrame.to_json(orient="records")`). Keys become columns; a missing key is a
// missing value.

import type { Dataset, ReadOptions } from "./dataset.ts";
import { DatasetError } from "./dataset.ts";
import { ObjectRowsBuilder } from "./object-rows.ts";

const PROGRESS_EVERY_ROWS = 10_000;

export function parseJsonArray(text: string, options: ReadOptions = {}): Dataset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new DatasetError(`not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) {
    throw new DatasetError("expected a JSON array of objects at the top level");
  }
  const rows = new ObjectRowsBuilder(options.columns);
  parsed.forEach((row: unknown, index) => {
    rows.add(row, `element ${index}`);
    if ((index + 1) % PROGRESS_EVERY_ROWS === 0) options.onProgress?.(rows.cells);
  });
  options.onProgress?.(rows.cells);
  return rows.finish();
}
