// One entry point for callers that hold a whole file's contents (the profile builder,
// Worker routes): pick the reader by format and decode bytes as UTF-8 where needed.

import { parseCsv } from "./csv.ts";
import { DatasetError, type Dataset, type DatasetFormat, type ReadOptions } from "./dataset.ts";
import { parseJsonArray } from "./json-array.ts";
import { parseJsonLines } from "./jsonl.ts";
import { readParquet, type ParquetReadOptions } from "./parquet.ts";

/** Reads `input` as `format`. Text formats take a string or UTF-8 bytes; Parquet takes bytes. */
export async function readDataset(
  input: string | Uint8Array,
  format: DatasetFormat,
  options: ParquetReadOptions = {},
): Promise<Dataset> {
  if (format === "parquet") {
    if (typeof input === "string") throw new DatasetError("Parquet input must be bytes, not a string");
    return readParquet(input, options);
  }
  const text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input);
  const readOptions: ReadOptions = {};
  if (options.onProgress !== undefined) readOptions.onProgress = options.onProgress;
  if (options.columns !== undefined) readOptions.columns = options.columns;
  switch (format) {
    case "csv":
      return parseCsv(text, readOptions);
    case "jsonl":
      return parseJsonLines(text, readOptions);
    case "json":
      return parseJsonArray(text, readOptions);
  }
}
