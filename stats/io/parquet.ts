// Parquet reader on hyparquet (pure JavaScript, runs in Workers too). Reads every
// top-level column into a Dataset:
// - integers, floats and decimals become numbers; INT64 (BigInt) becomes the nearest
//   double, as pandas does when it mixes int64 into float arithmetic;
// - strings and booleans pass through; dictionary-encoded columns arrive decoded;
// - nulls are missing;
// - timestamps and dates become ISO-8601 strings, nested lists and structs their JSON
//   text, raw bytes lowercase hex: categories, since none of them is a measurement.
// Codecs: uncompressed and Snappy are built into hyparquet. Gzip, Zstd and Brotli need
// decompressors (the hyparquet-compressors package) passed as `compressors`.

import { parquetMetadata, parquetRead, parquetSchema } from "hyparquet";
import type { Compressors, DecodedArray } from "hyparquet";
import type { RawValue } from "../drift/types.ts";
import { checkWantedColumns, DatasetError, datasetFromColumns, type Dataset, type ReadOptions } from "./dataset.ts";

export interface ParquetReadOptions extends ReadOptions {
  compressors?: Compressors;
}

/** Reads a whole Parquet file (its bytes) into a Dataset. */
export async function readParquet(bytes: Uint8Array, options: ParquetReadOptions = {}): Promise<Dataset> {
  const file = toArrayBuffer(bytes);
  let metadata;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw new DatasetError(`not a readable Parquet file (${(error as Error).message})`);
  }
  const rows = Number(metadata.num_rows);
  const allNames = parquetSchema(metadata).children.map((child) => child.element.name);
  checkWantedColumns(options.columns, allNames);
  const wanted = options.columns === undefined ? undefined : new Set(options.columns);
  const names = wanted === undefined ? allNames : allNames.filter((name) => wanted.has(name));
  const columns = new Map<string, RawValue[]>();
  for (const name of names) columns.set(name, new Array<RawValue>(rows).fill(null));

  let cellsRead = 0;
  try {
    await parquetRead({
      file,
      metadata,
      columns: names,
      compressors: options.compressors,
      onChunk({ columnName, columnData, rowStart }) {
        const target = columns.get(columnName);
        if (target === undefined) return;
        copyConverted(columnData, target, rowStart);
        cellsRead += columnData.length;
        options.onProgress?.(cellsRead);
      },
    });
  } catch (error) {
    throw new DatasetError(`could not read Parquet data (${(error as Error).message})`);
  }
  return datasetFromColumns(columns);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

function copyConverted(source: DecodedArray, target: RawValue[], offset: number): void {
  const length = Math.min(source.length, target.length - offset);
  if (source instanceof Float64Array || source instanceof Float32Array || source instanceof Int32Array || source instanceof Uint32Array) {
    for (let index = 0; index < length; index++) target[offset + index] = source[index] as number;
    return;
  }
  if (source instanceof BigInt64Array || source instanceof BigUint64Array) {
    for (let index = 0; index < length; index++) target[offset + index] = Number(source[index]);
    return;
  }
  if (source instanceof Uint8Array) {
    // A Uint8Array chunk holds BOOLEAN or small-integer values, not bytes of one value.
    for (let index = 0; index < length; index++) target[offset + index] = source[index] as number;
    return;
  }
  for (let index = 0; index < length; index++) target[offset + index] = toRawValue(source[index]);
}

/** One assembled Parquet value as a RawValue (see the header comment for the mapping). */
export function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
      return value;
    case "bigint":
      return Number(value);
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return toHex(value);
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? Number(inner) : inner));
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
