// Parquet reader on hyparquet (pure JavaScript, runs in Workers too). Reads the wanted
// top-level columns into a Dataset:
// - integers, floats and decimals become numbers; INT64 (BigInt) becomes the nearest
//   double, as pandas does when it mixes int64 into float arithmetic;
// - strings and booleans pass through; dictionary-encoded columns arrive decoded;
// - nulls are missing;
// - timestamps and dates become ISO-8601 strings, nested lists and structs their JSON
//   text, raw bytes lowercase hex: categories, since none of them is a measurement.
//
// Flat numeric and string columns, nearly every column of a table written by pandas,
// pyarrow or polars, are decoded page by page into their storage (parquet-flat.ts):
// numbers into one Float64Array per column, strings as the dictionary's shared values.
// Other columns, or pages in encodings that path does not read, go through hyparquet's
// general assembly. Only the wanted columns' chunks are read: from bytes in memory, or
// through an AsyncBuffer (a file read range by range), so unwanted columns never load.
//
// Codecs: every one Parquet defines but LZO (parquet-codecs.ts); a file using another is
// refused before any page is read, naming the column and codec.

import { parquetMetadata, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import type { AsyncBuffer, Compressors, DecodedArray, FileMetaData, SchemaTree } from "hyparquet";
import type { RawValue } from "../drift/types.ts";
import { checkWantedColumns, DatasetError, datasetFromColumns, type Dataset, type DatasetColumn, type ReadOptions } from "./dataset.ts";
import { canDecompress, PARQUET_DECOMPRESSORS, readableCodecs } from "./parquet-codecs.ts";
import { flatKind, flatStorage, type FlatStorage, readFlatChunk } from "./parquet-flat.ts";
import { LabelStorage } from "./parquet-labels.ts";
import { StringInterner } from "./parquet-strings.ts";

export interface ParquetReadOptions extends ReadOptions {
  /** Decompressors added to (or replacing) the built-in ones, by codec. */
  compressors?: Compressors;
}

/**
 * A file read by byte ranges (hyparquet's AsyncBuffer) that can also read a range into a
 * buffer the caller reuses, sparing an allocation (and its page faults and collection)
 * per column chunk.
 */
export interface RangeReader extends AsyncBuffer {
  /** Reads bytes [start, end) into the front of `target` (at least end - start long) and returns that part. */
  readInto(start: number, end: number, target: Uint8Array): Promise<Uint8Array>;
}

/** A whole Parquet file in memory, or one read by byte ranges. */
export type ParquetSource = Uint8Array | AsyncBuffer | RangeReader;

/** Reads a Parquet file into a Dataset. Throws DatasetError for input it cannot read. */
export async function readParquet(source: ParquetSource, options: ParquetReadOptions = {}): Promise<Dataset> {
  const file: AsyncBuffer = source instanceof Uint8Array ? toArrayBuffer(source) : source;
  let metadata: FileMetaData;
  try {
    metadata = file instanceof ArrayBuffer ? parquetMetadata(file) : await parquetMetadataAsync(file);
  } catch (error) {
    throw new DatasetError(`not a readable Parquet file (${(error as Error).message})`);
  }
  const rows = Number(metadata.num_rows);
  const nodes = parquetSchema(metadata).children;
  const allNames = nodes.map((child) => child.element.name);
  checkWantedColumns(options.columns, allNames);
  const wanted = options.columns === undefined ? undefined : new Set(options.columns);
  const kept = wanted === undefined ? nodes : nodes.filter((node) => wanted.has(node.element.name));
  const compressors: Compressors = { ...PARQUET_DECOMPRESSORS, ...options.compressors };
  checkCodecs(metadata, kept, compressors);

  const progress = new Progress(options.onProgress);
  const chunks = new ChunkReader(file);
  const columns = new Map<string, DatasetColumn>();
  const nulls = new Map<string, Uint8Array>();
  const general: string[] = [];
  try {
    for (const node of kept) {
      const name = node.element.name;
      const storage = await readFlatColumn(chunks, metadata, node, compressors, progress);
      if (storage === undefined) general.push(name);
      else if (storage instanceof LabelStorage) columns.set(name, storage.column());
      else {
        columns.set(name, storage.numbers);
        if (storage.nulls !== undefined) nulls.set(name, storage.nulls);
      }
    }
    if (general.length > 0) {
      for (const [name, values] of await readGeneral(file, metadata, general, rows, compressors, progress)) columns.set(name, values);
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`could not read Parquet data (${(error as Error).message})`);
  }
  // In file order, whichever path read each column.
  const ordered = new Map<string, DatasetColumn>();
  for (const node of kept) ordered.set(node.element.name, columns.get(node.element.name) as DatasetColumn);
  return datasetFromColumns(ordered, nulls);
}

/** Refuses a kept column whose pages use a codec no decompressor here reads. */
function checkCodecs(metadata: FileMetaData, kept: readonly SchemaTree[], compressors: Compressors): void {
  const names = new Set(kept.map((node) => node.element.name));
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || !names.has(meta.path_in_schema[0] as string)) continue;
      if (!canDecompress(meta.codec, compressors)) {
        throw new DatasetError(
          `column "${meta.path_in_schema.join(".")}" is compressed with ${meta.codec}, which this reader cannot decompress ` +
            `(it reads ${readableCodecs(compressors).join(", ")}); rewrite the file with one of those, e.g. ZSTD or SNAPPY`,
        );
      }
    }
  }
}

/**
 * Cells read so far, reported after every column chunk. A column the fast path gives up
 * on is taken back (and read again the general way); the count reported never goes down.
 */
class Progress {
  private cells = 0;
  private reported = 0;
  private readonly report: ((cells: number) => void) | undefined;
  constructor(report: ((cells: number) => void) | undefined) {
    this.report = report;
  }
  add(cells: number): void {
    this.cells += cells;
    if (cells < 0 || this.cells < this.reported) return;
    this.reported = this.cells;
    this.report?.(this.cells);
  }
}

/** The column read by the fast path, or undefined when it must be read the general way. */
async function readFlatColumn(chunks: ChunkReader, metadata: FileMetaData, node: SchemaTree, compressors: Compressors, progress: Progress): Promise<FlatStorage | undefined> {
  const kind = flatKind(node);
  if (kind === undefined) return undefined;
  const name = node.element.name;
  const storage = flatStorage(kind, Number(metadata.num_rows));
  const interner = new StringInterner();
  let rowStart = 0;
  let cells = 0;
  try {
    for (const group of metadata.row_groups) {
      const chunk = group.columns.find((column) => column.meta_data?.path_in_schema.length === 1 && column.meta_data.path_in_schema[0] === name);
      const meta = chunk?.meta_data;
      if (chunk === undefined || meta === undefined) return undefined;
      const groupRows = Number(group.num_rows);
      // A chunk starts at its dictionary page when it has one (some writers leave
      // dictionary_page_offset unset or 0; a dictionary page found first is read anyway).
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const bytes = await chunks.read(start, start + Number(meta.total_compressed_size));
      readFlatChunk(bytes, chunk, node, groupRows, rowStart, storage, compressors, interner);
      rowStart += groupRows;
      cells += groupRows;
      progress.add(groupRows);
    }
  } catch {
    // Whatever this path cannot read (NotFlat, or a damaged page), the general reader
    // reads or reports in its own words.
    progress.add(-cells);
    return undefined;
  }
  return storage;
}

/** Column chunks' bytes, each valid until the next is read (the fast path keeps nothing of them). */
class ChunkReader {
  private buffer = new Uint8Array(0);
  private readonly file: AsyncBuffer | RangeReader;
  constructor(file: AsyncBuffer | RangeReader) {
    this.file = file;
  }
  async read(start: number, end: number): Promise<Uint8Array> {
    const file = this.file;
    if (file instanceof ArrayBuffer) return new Uint8Array(file, start, Math.min(end, file.byteLength) - start);
    if (!("readInto" in file)) return new Uint8Array(await file.slice(start, end));
    if (this.buffer.length < end - start) this.buffer = new Uint8Array(Math.max(end - start, 2 * this.buffer.length));
    return file.readInto(start, end, this.buffer);
  }
}

/** Columns read with hyparquet's general assembly, converted value by value. */
async function readGeneral(
  file: AsyncBuffer,
  metadata: FileMetaData,
  names: string[],
  rows: number,
  compressors: Compressors,
  progress: Progress,
): Promise<Map<string, RawValue[]>> {
  const columns = new Map<string, RawValue[]>();
  for (const name of names) columns.set(name, new Array<RawValue>(rows).fill(null));
  await parquetRead({
    file,
    metadata,
    columns: names,
    compressors,
    onChunk({ columnName, columnData, rowStart }) {
      const target = columns.get(columnName);
      if (target === undefined) return;
      copyConverted(columnData, target, rowStart);
      progress.add(columnData.length);
    },
  });
  return columns;
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
