// The fast path of the Parquet reader: one flat column (a top-level primitive, REQUIRED or
// OPTIONAL) read page by page straight into its Dataset storage.
//
// - Numbers (INT32, INT64, FLOAT, DOUBLE without a date, time, decimal or unsigned-64
//   annotation) go into one Float64Array for the whole column, missing as NaN; the rows that
//   were null are marked in a byte mask, so `get` still gives null there as before.
// - Strings (BYTE_ARRAY, plain or UTF8/STRING/ENUM-annotated) go into label codes
//   (parquet-labels.ts), as the CSV reader keeps a text column: a dictionary's strings are
//   decoded and given their codes once per dictionary, and PLAIN pages go through a
//   StringInterner (parquet-strings.ts); past 4,096 distinct strings, one value per row.
//
// Pages follow parquet-format (https://parquet.apache.org/docs/file-format/data-pages/):
// DATA_PAGE (v1: repetition and definition levels, then values, all compressed together;
// levels RLE with a 4-byte length prefix), DATA_PAGE_V2 (levels uncompressed and without
// length prefix, sizes in the header, then the values, compressed unless is_compressed is
// false) and DICTIONARY_PAGE (PLAIN values). Value encodings read here: PLAIN, and
// PLAIN_DICTIONARY / RLE_DICTIONARY (a bit-width byte, then indices in the hybrid encoding,
// parquet-hybrid.ts). Anything else (delta or byte-stream-split encodings, BIT_PACKED
// levels, nested columns, other types) throws NotFlat and the caller reads the column with
// hyparquet's general assembly instead, so this path only ever changes speed, never values.

import type { ColumnChunk, CompressionCodec, Compressors, SchemaElement, SchemaTree } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { decompressPage } from "hyparquet/src/datapage.js";
import { readHybrid } from "./parquet-hybrid.ts";
import { type Dictionary, LabelStorage } from "./parquet-labels.ts";
import { StringInterner } from "./parquet-strings.ts";
import { decodeUtf8 } from "./utf8.ts";

/** This column (or page) is not one the fast path reads: read it the general way. */
export class NotFlat extends Error {
  override name = "NotFlat";
}

export type FlatKind = "numbers" | "labels";

const INT32_ANNOTATIONS: ReadonlySet<string | undefined> = new Set([undefined, "INT_8", "INT_16", "INT_32", "UINT_8", "UINT_16"]);
const STRING_ANNOTATIONS: ReadonlySet<string | undefined> = new Set([undefined, "UTF8", "ENUM"]);

/**
 * How the fast path stores a top-level column, or undefined when hyparquet's general
 * reader must (nested, BOOLEAN, dates, times, decimals, unsigned 32/64-bit, JSON, bytes…).
 * The rules keep today's values: hyparquet turns exactly these into plain numbers or strings.
 */
export function flatKind(node: SchemaTree): FlatKind | undefined {
  const element = node.element;
  if (node.children.length > 0 || element.repetition_type === "REPEATED") return undefined;
  const converted = element.converted_type;
  const logical = element.logical_type;
  switch (element.type) {
    case "DOUBLE":
    case "FLOAT":
      return converted === undefined && logical === undefined ? "numbers" : undefined;
    case "INT32":
      if (!INT32_ANNOTATIONS.has(converted)) return undefined;
      if (logical !== undefined && !(logical.type === "INTEGER" && (logical.isSigned || logical.bitWidth < 32))) return undefined;
      return "numbers";
    case "INT64":
      if (converted !== undefined && converted !== "INT_64") return undefined;
      if (logical !== undefined && !(logical.type === "INTEGER" && logical.isSigned)) return undefined;
      return "numbers";
    case "BYTE_ARRAY":
      if (!STRING_ANNOTATIONS.has(converted)) return undefined;
      if (logical !== undefined && logical.type !== "STRING" && logical.type !== "ENUM") return undefined;
      return "labels";
    default:
      return undefined;
  }
}

/** A numeric column: doubles (NaN where missing) and, once a null is met, which rows were null. */
export interface NumberStorage {
  numbers: Float64Array;
  nulls: Uint8Array | undefined;
}

export type FlatStorage = NumberStorage | LabelStorage;

/** Storage for `rows` rows of a column of this kind. */
export function flatStorage(kind: FlatKind, rows: number): FlatStorage {
  return kind === "numbers" ? { numbers: new Float64Array(rows), nulls: undefined } : new LabelStorage(rows);
}

interface Page {
  /** Values in the page, nulls included. */
  count: number;
  /** Definition level per value (count of them), or undefined when none is null. */
  defined: Int32Array | undefined;
  present: number;
  encoding: string;
  /** The values' bytes, from `offset`. */
  bytes: Uint8Array;
  offset: number;
}

/** Scratch arrays reused from page to page: definition levels, dictionary indices, values. */
class Scratch {
  private levelBuffer = new Int32Array(1024);
  private indexBuffer = new Int32Array(1024);
  private doubles = new Float64Array(1024);
  levels(count: number): Int32Array {
    if (this.levelBuffer.length < count) this.levelBuffer = new Int32Array(Math.max(count, 2 * this.levelBuffer.length));
    return this.levelBuffer;
  }
  indices(count: number): Int32Array {
    if (this.indexBuffer.length < count) this.indexBuffer = new Int32Array(Math.max(count, 2 * this.indexBuffer.length));
    return this.indexBuffer;
  }
  float64(count: number): Float64Array {
    if (this.doubles.length < count) this.doubles = new Float64Array(Math.max(count, 2 * this.doubles.length));
    return this.doubles;
  }
}

/**
 * Reads one column chunk (its bytes: dictionary page, if any, then data pages) holding
 * `rows` rows into `storage` from row `rowStart`.
 */
export function readFlatChunk(
  chunkBytes: Uint8Array,
  chunk: ColumnChunk,
  node: SchemaTree,
  rows: number,
  rowStart: number,
  storage: FlatStorage,
  compressors: Compressors,
  interner: StringInterner,
): void {
  const meta = chunk.meta_data;
  if (meta === undefined) throw new NotFlat("column chunk without metadata");
  const element = node.element;
  const optional = element.repetition_type === "OPTIONAL";
  const view = new DataView(chunkBytes.buffer, chunkBytes.byteOffset, chunkBytes.byteLength);
  const reader = { view, offset: 0 };
  const scratch = new Scratch();
  let dictionary: Float64Array | Dictionary | undefined;
  let row = rowStart;
  const rowEnd = rowStart + rows;
  while (row < rowEnd) {
    if (reader.offset >= chunkBytes.length) throw new NotFlat("column chunk ends before its rows");
    const header = parquetHeader(reader);
    const compressed = chunkBytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === "DICTIONARY_PAGE") {
      const count = header.dictionary_page_header?.num_values ?? 0;
      const bytes = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
      dictionary = storage instanceof LabelStorage ? { strings: plainStrings(bytes, 0, count) } : plainNumbers(bytes, 0, count, element, new Float64Array(count));
      continue;
    }
    let page: Page;
    if (header.type === "DATA_PAGE") page = pageV1(compressed, header, optional, meta.codec, compressors, scratch);
    else if (header.type === "DATA_PAGE_V2") page = pageV2(compressed, header, optional, meta.codec, compressors, scratch);
    else continue; // INDEX_PAGE: nothing to read
    if (row + page.count > rowEnd) throw new NotFlat("page runs past its row group");
    if (storage instanceof LabelStorage) storeLabels(page, dictionary as Dictionary | undefined, storage, row, scratch, interner);
    else storeNumbers(page, element, dictionary as Float64Array | undefined, storage, row, scratch);
    row += page.count;
  }
}

function pageV1(
  compressed: Uint8Array,
  header: ReturnType<typeof parquetHeader>,
  optional: boolean,
  codec: CompressionCodec,
  compressors: Compressors,
  scratch: Scratch,
): Page {
  const daph = header.data_page_header;
  if (daph === undefined) throw new NotFlat("data page without its header");
  const bytes = decompressPage(compressed, header.uncompressed_page_size, codec, compressors);
  const count = daph.num_values;
  let offset = 0;
  let defined: Int32Array | undefined;
  let present = count;
  if (optional) {
    if (daph.definition_level_encoding !== "RLE") throw new NotFlat(`definition levels encoded ${daph.definition_level_encoding}`);
    const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
    const levels = scratch.levels(count);
    readHybrid(bytes, 4, 4 + length, 1, levels, count);
    offset = 4 + length;
    present = countOnes(levels, count);
    if (present < count) defined = levels;
  }
  return { count, defined, present, encoding: daph.encoding, bytes, offset };
}

function pageV2(
  compressed: Uint8Array,
  header: ReturnType<typeof parquetHeader>,
  optional: boolean,
  codec: CompressionCodec,
  compressors: Compressors,
  scratch: Scratch,
): Page {
  const daph = header.data_page_header_v2;
  if (daph === undefined) throw new NotFlat("data page v2 without its header");
  if (daph.repetition_levels_byte_length !== 0) throw new NotFlat("repetition levels in a flat column");
  const count = daph.num_values;
  const levelsLength = daph.definition_levels_byte_length;
  let defined: Int32Array | undefined;
  if (optional && daph.num_nulls > 0) {
    defined = scratch.levels(count);
    readHybrid(compressed, 0, levelsLength, 1, defined, count);
  }
  const valueBytes = compressed.subarray(levelsLength);
  const uncompressedSize = header.uncompressed_page_size - levelsLength;
  const bytes = daph.is_compressed !== false && uncompressedSize > 0 ? decompressPage(valueBytes, uncompressedSize, codec, compressors) : valueBytes;
  return { count, defined, present: count - daph.num_nulls, encoding: daph.encoding, bytes, offset: 0 };
}

function countOnes(levels: Int32Array, count: number): number {
  let ones = 0;
  for (let index = 0; index < count; index++) ones += levels[index] as number;
  return ones;
}

/** The page's present values as doubles, in `out`. */
function pageNumbers(page: Page, element: SchemaElement, dictionary: Float64Array | undefined, out: Float64Array, scratch: Scratch): void {
  const { bytes, offset, present } = page;
  if (page.encoding === "PLAIN") {
    plainNumbers(bytes, offset, present, element, out);
    return;
  }
  const indices = dictionaryIndices(page, dictionary?.length, scratch);
  const values = dictionary as Float64Array;
  for (let index = 0; index < present; index++) out[index] = values[indices[index] as number] as number;
}

function storeNumbers(page: Page, element: SchemaElement, dictionary: Float64Array | undefined, storage: NumberStorage, row: number, scratch: Scratch): void {
  const { defined, count } = page;
  if (defined === undefined) {
    pageNumbers(page, element, dictionary, storage.numbers.subarray(row, row + count), scratch);
    return;
  }
  const values = scratch.float64(page.present);
  pageNumbers(page, element, dictionary, values, scratch);
  const numbers = storage.numbers;
  const nulls = (storage.nulls ??= new Uint8Array(numbers.length));
  let next = 0;
  for (let index = 0; index < count; index++) {
    if (defined[index] === 1) numbers[row + index] = values[next++] as number;
    else {
      numbers[row + index] = Number.NaN;
      nulls[row + index] = 1;
    }
  }
}

function storeLabels(page: Page, dictionary: Dictionary | undefined, storage: LabelStorage, row: number, scratch: Scratch, interner: StringInterner): void {
  if (page.encoding === "PLAIN") storage.setFromTexts(row, page.count, page.defined, plainStrings(page.bytes, page.offset, page.present, interner));
  else storage.setFromDictionary(row, page.count, page.defined, dictionaryIndices(page, dictionary?.strings.length, scratch), dictionary as Dictionary);
}

/** The page's dictionary indices, checked against the dictionary's size. */
function dictionaryIndices(page: Page, dictionarySize: number | undefined, scratch: Scratch): Int32Array {
  if (page.encoding !== "PLAIN_DICTIONARY" && page.encoding !== "RLE_DICTIONARY") throw new NotFlat(`values encoded ${page.encoding}`);
  if (dictionarySize === undefined) throw new NotFlat("dictionary-encoded page without a dictionary page");
  const { bytes, offset, present } = page;
  const indices = scratch.indices(present);
  if (present === 0) return indices;
  const width = bytes[offset] as number;
  readHybrid(bytes, offset + 1, bytes.length, width, indices, present);
  const size = dictionarySize;
  for (let index = 0; index < present; index++) {
    if ((indices[index] as number) >= size) throw new NotFlat(`dictionary index ${indices[index]} out of ${size}`);
  }
  return indices;
}

/** `count` PLAIN values of the column's physical type from bytes[offset…) as doubles in `out`. */
function plainNumbers(bytes: Uint8Array, offset: number, count: number, element: SchemaElement, out: Float64Array): Float64Array {
  const width = element.type === "DOUBLE" || element.type === "INT64" ? 8 : 4;
  if (offset + count * width > bytes.length) throw new NotFlat("PLAIN values run past the page");
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * width);
  switch (element.type) {
    case "DOUBLE":
      // Little-endian doubles, as typed arrays hold them on every platform JavaScript runs on.
      new Uint8Array(out.buffer, out.byteOffset, count * 8).set(bytes.subarray(offset, offset + count * 8));
      break;
    case "FLOAT":
      for (let index = 0; index < count; index++) out[index] = view.getFloat32(4 * index, true);
      break;
    case "INT32":
      for (let index = 0; index < count; index++) out[index] = view.getInt32(4 * index, true);
      break;
    case "INT64":
      // high * 2^32 is exact and adding the low word rounds once, to the double nearest the
      // 64-bit integer: the same value Number(bigint) gives.
      for (let index = 0; index < count; index++) out[index] = view.getInt32(8 * index + 4, true) * 4294967296 + view.getUint32(8 * index, true);
      break;
    default:
      throw new NotFlat(`physical type ${element.type}`);
  }
  return out;
}

/**
 * `count` PLAIN BYTE_ARRAY values (4-byte little-endian length, then the bytes) as UTF-8
 * text; through `interner` for data pages (a dictionary page's values are distinct).
 */
function plainStrings(bytes: Uint8Array, offset: number, count: number, interner?: StringInterner): string[] {
  const values = new Array<string>(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = offset;
  for (let index = 0; index < count; index++) {
    if (position + 4 > bytes.length) throw new NotFlat("PLAIN strings run past the page");
    const length = view.getUint32(position, true);
    position += 4;
    if (position + length > bytes.length) throw new NotFlat("PLAIN strings run past the page");
    values[index] = interner === undefined ? decodeUtf8(bytes, position, position + length) : interner.text(bytes, position, position + length);
    position += length;
  }
  return values;
}
