// CSV reader (RFC 4180): a header row, comma-separated fields, fields quoted with `"`
// that may hold commas, doubled quotes and line breaks, CRLF, LF or CR line endings.
// Cells are typed the way pandas.read_csv types them by default (see text-values.ts):
// an empty field is missing, and a column whose cells all parse as numbers holds numbers.
//
// The reader works on UTF-8 bytes. Records without quotes, nearly all of a typical file,
// go through the fast loop in csv-records.ts, which reads numbers and label codes
// straight into each column's storage (csv-column.ts); quoted records take the general
// path below, which applies the same rules. Input may arrive in chunks (pushBytes, or
// push for text) so that files larger than one JavaScript string can be read; a record
// split across chunks is carried over.
//
// A file can also be read in slices by several threads: each slice starts at a record
// boundary (csv-split.ts finds them), slices after the first are read with `header` (they
// have no header row) and hand their columns over with finishParts (csv-parts.ts joins them).

import { type CsvColumnPart, CsvColumn } from "./csv-column.ts";
import { CsvKernel } from "./csv-kernel.ts";
import { CsvRows, typeRecords, WORD_SLACK } from "./csv-records.ts";
import { checkWantedColumns, DatasetError, datasetFromColumns, type Dataset, type DatasetColumn, type ReadOptions } from "./dataset.ts";
import { decodeUtf8 } from "./utf8.ts";
import { type FindByte, findByteInArray } from "./find-byte.ts";

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;
const INITIAL_ROWS = 8192;

/** Reads a whole CSV text into a Dataset. Throws DatasetError naming the bad row or line. */
export function parseCsv(text: string, options: ReadOptions = {}): Dataset {
  const reader = new CsvReader(options);
  reader.push(text);
  return reader.finish();
}

export interface CsvReaderOptions extends ReadOptions {
  /**
   * The column names of a slice that starts after the header row (a slice read by another
   * thread): no header row is expected, every record is data.
   */
  header?: readonly string[];
  /** The input's size in bytes, when known: storage is sized once from the first chunk. */
  sizeHint?: number;
  /** A faster search for quotes than Uint8Array.prototype.indexOf, when the host has one (find-byte.ts). */
  findByte?: FindByte;
  /**
   * Type quote-free records with the WebAssembly kernel (csv-kernel.ts) where the host
   * compiles WebAssembly; the result is the same as without. Default true.
   */
  kernel?: boolean;
}

/** A slice's columns, for csv-parts.ts to join. */
export interface CsvParts {
  rows: number;
  columns: Array<{ name: string; part: CsvColumnPart }>;
}

const encoder = new TextEncoder();

export class CsvReader {
  private readonly onProgress: ((cellsRead: number) => void) | undefined;
  private readonly wanted: readonly string[] | undefined;
  private readonly labels: readonly string[];
  private readonly sizeHint: number | undefined;
  private readonly findByte: FindByte;
  private readonly useKernel: boolean;
  private kernel: CsvKernel | null = null;
  // Bytes of a record that the last chunk ended inside of.
  private pending = new Uint8Array(0);
  // A high surrogate that ended the last text chunk, kept for the low one that follows.
  private pendingSurrogate = "";
  private started = false;
  private bytesSeen = 0;
  private sized = false;
  // 1-based line on which the header starts; then the table counts lines.
  private headerLine = 1;
  private header: string[] | null = null;
  private table: CsvRows | null = null;
  // The current record's fields (general path): unquoted ones as byte ranges (typed in
  // place, without a copy), quoted ones as their decoded string.
  private fieldCount = 0;
  private readonly fieldStarts: number[] = [];
  private readonly fieldStops: number[] = [];
  private readonly fieldTexts: Array<string | undefined> = [];

  constructor(options: CsvReaderOptions = {}) {
    this.onProgress = options.onProgress;
    this.wanted = options.columns;
    this.labels = options.labels ?? [];
    this.sizeHint = options.sizeHint;
    this.findByte = options.findByte ?? findByteInArray;
    this.useKernel = options.kernel ?? true;
    if (options.header !== undefined) {
      this.started = true; // a slice starts inside the file: no byte order mark
      this.useHeader([...options.header]);
    }
  }

  /** Whether the WebAssembly kernel is reading this input's quote-free records. */
  get usesKernel(): boolean {
    return this.kernel !== null;
  }

  /** The kernel's trap, if it trapped (the JavaScript loop then read the rest): a bug to report. */
  get kernelFailure(): Error | null {
    return this.kernel?.failure ?? null;
  }

  /** 1-based line on which the next record starts (records may span lines). */
  private get line(): number {
    return this.table?.line ?? this.headerLine;
  }

  private set line(line: number) {
    if (this.table === null) this.headerLine = line;
    else this.table.line = line;
  }

  /** Adds a chunk of text. */
  push(chunk: string): void {
    let text = this.pendingSurrogate + chunk;
    this.pendingSurrogate = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pendingSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    this.pushBytes(encoder.encode(text));
  }

  /** Adds a chunk of UTF-8 bytes (a multi-byte character may be split across chunks). */
  pushBytes(chunk: Uint8Array): void {
    this.bytesSeen += chunk.length;
    let bytes = chunk;
    const lineEnd = this.pending.length > 0 && this.started ? chunk.indexOf(LF) : -1;
    if (lineEnd >= 0) {
      // The carried-over record usually ends at the chunk's first LF: finish it on a small
      // buffer and parse the rest of the chunk in place, instead of copying the whole chunk.
      const head = concat(this.pending, chunk.subarray(0, lineEnd + 1));
      const parsed = this.parseRecords(head, false);
      bytes = parsed === head.length ? chunk.subarray(lineEnd + 1) : concat(head.subarray(parsed), chunk.subarray(lineEnd + 1));
    } else if (this.pending.length > 0) {
      bytes = concat(this.pending, chunk);
    }
    bytes = this.skipByteOrderMark(bytes);
    const parsed = this.parseRecords(bytes, false);
    this.pending = bytes.slice(parsed);
    this.sizeFromFirstChunk();
    this.reportProgress();
  }

  finish(): Dataset {
    const table = this.finishRecords();
    const columns = new Map<string, DatasetColumn>();
    (this.header as string[]).forEach((name, index) => {
      const column = table.columns[index];
      if (column !== null && column !== undefined) columns.set(name, column.finish(table.rows));
    });
    return datasetFromColumns(columns);
  }

  /** Like finish, for a slice: the kept columns as parts to join with other slices'. */
  finishParts(): CsvParts {
    const table = this.finishRecords();
    const columns: CsvParts["columns"] = [];
    (this.header as string[]).forEach((name, index) => {
      const column = table.columns[index];
      if (column !== null && column !== undefined) columns.push({ name, part: column.part(table.rows) });
    });
    return { rows: table.rows, columns };
  }

  private finishRecords(): CsvRows {
    if (this.pendingSurrogate !== "") this.pushBytes(encoder.encode(this.pendingSurrogate));
    this.parseRecords(this.pending, true);
    this.pending = new Uint8Array(0);
    if (this.header === null || this.table === null) throw new DatasetError("no header row (the file is empty)");
    this.reportProgress();
    return this.table;
  }

  private skipByteOrderMark(bytes: Uint8Array): Uint8Array {
    if (this.started || bytes.length === 0) return bytes;
    if (bytes[0] === 0xef && bytes.length < 3) return bytes; // wait for the whole mark
    this.started = true;
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  }

  /** With a size hint, sizes the columns once from the bytes per row of the first chunk. */
  private sizeFromFirstChunk(): void {
    const table = this.table;
    if (this.sized || this.sizeHint === undefined || table === null || table.rows < 1000) return;
    this.sized = true;
    const bytesPerRow = (this.bytesSeen - this.pending.length) / table.rows;
    table.reserve(Math.ceil((this.sizeHint / bytesPerRow) * 1.02) + 1024);
  }

  private reportProgress(): void {
    const table = this.table;
    this.onProgress?.(table === null ? 0 : table.rows * table.columns.length);
  }

  /** Parses every complete record in `bytes`; returns where the unparsed tail (an incomplete record) starts. */
  private parseRecords(bytes: Uint8Array, final: boolean): number {
    const length = bytes.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The next quote at or after `position` (length when none): cached so that the
    // native search scans the bytes once in total, however the records are shaped.
    let nextQuote = -1;
    // Likewise the next LF: the backward search for the last one below is only made when
    // one lies ahead, or a file with CR line endings would be searched back to its start
    // once per record.
    let nextLf = -1;
    let position = 0;
    while (position < length) {
      const table = this.table;
      if (table !== null) {
        if (nextQuote < position) {
          nextQuote = this.findByte(bytes, QUOTE, position);
          if (nextQuote < 0) nextQuote = length;
        }
        if (nextLf < position) {
          nextLf = this.findByte(bytes, LF, position);
          if (nextLf < 0) nextLf = length;
        }
        // The fast loop takes the whole lines before the next quote, up to an LF that
        // leaves room for its word reads.
        const bound = Math.min(nextQuote - 1, length - WORD_SLACK);
        const lastLf = nextLf <= bound ? bytes.lastIndexOf(LF, bound) : -1;
        if (lastLf >= position) {
          const kernel = this.kernel;
          position = kernel === null ? typeRecords(table, bytes, view, position, lastLf + 1) : kernel.typeRecords(table, bytes, view, position, lastLf + 1);
          continue;
        }
      }
      const next = this.parseRecord(bytes, position, final);
      if (next < 0) return position;
      position = next;
    }
    return length;
  }

  /**
   * Parses one record starting at `start` and consumes it. Returns the index after its
   * line ending, or -1 when the bytes end inside the record and more input may follow.
   */
  private parseRecord(bytes: Uint8Array, start: number, final: boolean): number {
    this.fieldCount = 0;
    const length = bytes.length;
    let position = start;
    let lineBreaks = 0;
    let quoted = false;
    for (;;) {
      if (position < length && bytes[position] === QUOTE) {
        quoted = true;
        let parts = "";
        let from = position + 1;
        for (;;) {
          const close = this.findByte(bytes, QUOTE, from);
          if (close < 0) {
            if (!final) return -1;
            throw new DatasetError(`line ${this.line}: quoted field is never closed`);
          }
          lineBreaks += countLineBreaks(bytes, from, close);
          if (close + 1 < length && bytes[close + 1] === QUOTE) {
            parts += decodeUtf8(bytes, from, close + 1);
            from = close + 2;
            continue;
          }
          if (close + 1 >= length && !final) return -1; // a doubled quote may follow
          parts += decodeUtf8(bytes, from, close);
          position = close + 1;
          break;
        }
        this.addField(parts, 0, 0);
        const after = position < length ? (bytes[position] as number) : -1;
        if (after !== -1 && after !== COMMA && after !== LF && after !== CR) {
          throw new DatasetError(`line ${this.line + lineBreaks}: unexpected text after a closing quote`);
        }
      } else {
        let end = position;
        while (end < length) {
          const code = bytes[end] as number;
          if (code === COMMA || code === LF || code === CR) break;
          end++;
        }
        this.addField(undefined, position, end);
        position = end;
      }
      if (position >= length) {
        if (!final) return -1;
        this.acceptRecord(bytes, quoted);
        this.line += lineBreaks + 1;
        return position;
      }
      const code = bytes[position] as number;
      if (code === COMMA) {
        position++;
        continue;
      }
      if (code === CR) {
        if (position + 1 >= length && !final) return -1; // an LF may follow in the next chunk
        position += position + 1 < length && bytes[position + 1] === LF ? 2 : 1;
      } else {
        position++; // LF
      }
      this.acceptRecord(bytes, quoted);
      this.line += lineBreaks + 1;
      return position;
    }
  }

  private addField(decoded: string | undefined, start: number, stop: number): void {
    const index = this.fieldCount++;
    this.fieldTexts[index] = decoded;
    this.fieldStarts[index] = start;
    this.fieldStops[index] = stop;
  }

  private fieldText(bytes: Uint8Array, index: number): string {
    return this.fieldTexts[index] ?? decodeUtf8(bytes, this.fieldStarts[index] as number, this.fieldStops[index] as number);
  }

  private acceptRecord(bytes: Uint8Array, quoted: boolean): void {
    const count = this.fieldCount;
    // Blank lines are skipped, as pandas does (skip_blank_lines).
    if (!quoted && count === 1 && this.fieldStarts[0] === this.fieldStops[0]) return;
    const table = this.table;
    if (table === null) {
      const names = Array.from({ length: count }, (_, index) => this.fieldText(bytes, index));
      this.useHeader(headerNames(names, this.headerLine));
      return;
    }
    if (count !== table.columns.length) throw table.fieldCountError(count);
    const row = table.rows;
    table.reserve(row + 1);
    for (let index = 0; index < count; index++) {
      const column = table.columns[index];
      if (column === null || column === undefined) continue;
      const decoded = this.fieldTexts[index];
      if (decoded === undefined) column.addBytes(bytes, this.fieldStarts[index] as number, this.fieldStops[index] as number, row);
      else column.addText(decoded, row);
    }
    table.rows = row + 1;
  }

  private useHeader(names: string[]): void {
    this.header = names;
    checkWantedColumns(this.wanted, names);
    const wanted = this.wanted === undefined ? undefined : new Set(this.wanted);
    const labels = new Set(this.labels);
    const columns = names.map((name) => (wanted === undefined || wanted.has(name) ? new CsvColumn(INITIAL_ROWS, labels.has(name)) : null));
    this.table = new CsvRows(columns, INITIAL_ROWS, this.headerLine);
    if (this.useKernel) this.kernel = CsvKernel.create(names.length);
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(first.length + second.length);
  bytes.set(first);
  bytes.set(second, first.length);
  return bytes;
}

function countLineBreaks(bytes: Uint8Array, from: number, to: number): number {
  let breaks = 0;
  for (let index = from; index < to; index++) {
    const code = bytes[index];
    if (code === LF) breaks++;
    else if (code === CR && bytes[index + 1] !== LF) breaks++;
  }
  return breaks;
}

/** Header names; an empty one becomes "Unnamed: i" as in pandas. Duplicates are an error. */
function headerNames(fields: readonly string[], line: number): string[] {
  const names = fields.map((field, index) => (field === "" ? `Unnamed: ${index}` : field));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DatasetError(`line ${line}: duplicate column name "${name}" in the header`);
    seen.add(name);
  }
  return names;
}
