// The CSV reader's fast loop on WebAssembly: the kernel (wasm/csv-kernel.ts, compiled
// into csv-kernel-wasm.ts) types a block of quote-free records into scratch columns in
// its own memory (a SIMD scan for the delimiters, then one loop per column); this side
// copies each block's columns into the reader's storage (one memcpy per column) and
// reads, with the general rules, the few cells the kernel lists (numbers it leaves to
// text-values.ts, spellings to keep) and any record it stops at. The result is the same as typeRecords' (csv-records.ts) for
// every input; csv-kernel.test.ts checks it on generated and edge-case files.
//
// Where WebAssembly cannot be compiled from bytes (a Cloudflare Worker), create()
// returns null and the reader keeps the JavaScript loop.

import { CODED, type CsvColumn, NUMERIC } from "./csv-column.ts";
import { CSV_KERNEL_WASM } from "./csv-kernel-wasm.ts";
import { type CsvRows, typeRecords } from "./csv-records.ts";
import { MAX_LABELS, wordAt } from "./label-codes.ts";

const LF = 10;

// Column kinds and exception kinds, as the kernel numbers them.
const SKIP = 0;
const KIND_NUMERIC = 1;
const KIND_CODED = 2;
const KIND_NUMERIC_SPELLINGS = 3;
const EXCEPTION_NUMBER = 1;
const EXCEPTION_WORDS = 6;
// Why a block stopped.
const STOPPED_AT_RECORD = 1;

/** Bytes of input per block: the scratch columns of a block stay in the core's caches. */
const BLOCK_BYTES = 256 * 1024;
/** Zero bytes after a block (the kernel's delimiter scan reads 64 bytes at a time, its number reads 8). */
const SLACK_BYTES = 128;

// A label table mirror (the kernel's layout): a header (word 1: pool bytes used), slots,
// then by code the hash, length, pool offset and first two words, then the pool of label
// bytes.
const SLOTS = 8192;
const MAX_CODES = MAX_LABELS + 1;
const TABLE_SLOTS = 16;
const TABLE_HASHES = TABLE_SLOTS + SLOTS * 4;
const TABLE_LENGTHS = TABLE_HASHES + MAX_CODES * 4;
const TABLE_STARTS = TABLE_LENGTHS + MAX_CODES * 4;
const TABLE_FIRST_WORDS = TABLE_STARTS + MAX_CODES * 4;
const TABLE_SECOND_WORDS = TABLE_FIRST_WORDS + MAX_CODES * 4;
const TABLE_POOL = TABLE_SECOND_WORDS + MAX_CODES * 4;
const POOL_BYTES = 64 * 1024;
const TABLE_BYTES = TABLE_POOL + POOL_BYTES;

// When the kernel stops at more than one record in STOP_RATIO of those it reads (a file
// whose numeric columns hold text-like missing tokens on most rows, say), the rest of the
// region goes to the JavaScript loop, which reads such records faster than a block each.
const STOP_RATIO = 32;
const STOPS_BEFORE_GIVING_UP = 64;

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  typeBlock(
    input: number,
    length: number,
    fields: number,
    kinds: number,
    tables: number,
    out: number,
    rowCapacity: number,
    index: number,
    exceptionList: number,
    bits: number,
  ): number;
  stoppedAt(): number;
  reason(): number;
  exceptions(): number;
}

let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const text = atob(CSV_KERNEL_WASM);
      const bytes = new Uint8Array(text.length);
      for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
      // Workers' types declare the constructor abstract (they refuse code from bytes, which
      // the catch below handles); Node and browsers compile it.
      const ModuleFromBytes = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
      compiled = new ModuleFromBytes(bytes);
    } catch {
      compiled = null; // the host does not compile WebAssembly from bytes
    }
  }
  return compiled;
}

export class CsvKernel {
  private readonly kernel: KernelExports;
  private readonly fields: number;
  private readonly rowCapacity: number;
  private readonly kinds: number;
  private readonly tables: number;
  private readonly input: number;
  private readonly index: number;
  private readonly out: number;
  private readonly exceptionList: number;
  private readonly bits: number;
  private readonly bitBytes: number;
  /** Each field's label table mirror (0 until the column is coded), and how many codes it holds. */
  private readonly tableAt: number[];
  private readonly mirrored: number[];
  private end: number;
  /** The kernel's trap, if it ever trapped (then this reader uses the JavaScript loop); tests assert it stays null. */
  failure: WebAssembly.RuntimeError | null = null;
  private bytes!: Uint8Array;
  private words!: Int32Array;
  private doubles!: Float64Array;
  private halves!: Uint16Array;

  /** A kernel for records of `fields` fields, or null where WebAssembly is not available. */
  static create(fields: number): CsvKernel | null {
    const module = kernelModule();
    if (module === null || fields === 0) return null;
    return new CsvKernel(new WebAssembly.Instance(module).exports as unknown as KernelExports, fields);
  }

  private constructor(kernel: KernelExports, fields: number) {
    this.kernel = kernel;
    this.fields = fields;
    // Every record holds at least `fields` bytes (its delimiters), so a block holds at most this many.
    this.rowCapacity = Math.floor(BLOCK_BYTES / fields) + 1;
    let at = align(kernel.heapBase());
    this.kinds = at;
    at = align(at + 4 * fields);
    this.tables = at;
    at = align(at + 4 * fields);
    this.input = at;
    at = align(at + BLOCK_BYTES + SLACK_BYTES);
    // The first pass's index: per record, the address of the delimiter before it and of
    // each cell's end (a block holds at most rowCapacity * fields delimiters); then at
    // most one exception per cell.
    this.index = at;
    at = align(at + 4 * (this.rowCapacity * (fields + 1) + 16));
    this.out = at;
    at = align(at + 8 * this.rowCapacity * fields);
    this.exceptionList = at;
    at = align(at + 4 * EXCEPTION_WORDS * this.rowCapacity * fields);
    // Per numeric column, a bit per row written with its usual count of fraction digits and a trailing zero.
    this.bits = at;
    this.bitBytes = align((this.rowCapacity + 7) >>> 3);
    this.end = align(at + this.bitBytes * fields);
    this.tableAt = new Array<number>(fields).fill(0);
    this.mirrored = new Array<number>(fields).fill(0);
    this.ensureMemory(this.end);
  }

  /** typeRecords' contract (csv-records.ts): types the records in bytes[start, end); returns `end`. */
  typeRecords(table: CsvRows, bytes: Uint8Array, view: DataView, start: number, end: number): number {
    let position = start;
    let stops = 0;
    let kernelRows = 0;
    while (position < end) {
      let blockEnd = end;
      if (end - position > BLOCK_BYTES) {
        // Whole records only: in a quote-free region every LF ends one.
        const lf = bytes.lastIndexOf(LF, position + BLOCK_BYTES - 1);
        if (lf < position) {
          // One record longer than a block (or CR line endings): the JavaScript loop reads it.
          position = typeRecords(table, bytes, view, position, recordEnd(bytes, position, end));
          continue;
        }
        blockEnd = lf + 1;
      }
      this.bytes.set(bytes.subarray(position, blockEnd), this.input);
      this.bytes.fill(0, this.input + blockEnd - position, this.input + blockEnd - position + SLACK_BYTES);
      // The block is typed from `offset` on, and again after each record the kernel stops at.
      for (let offset = 0; offset < blockEnd - position; ) {
        if (this.failure !== null || (stops > STOPS_BEFORE_GIVING_UP && kernelRows < STOP_RATIO * stops) || !this.prepare(table)) {
          return typeRecords(table, bytes, view, position + offset, end);
        }
        const kernel = this.kernel;
        const base = this.input + offset;
        let rows: number;
        try {
          rows = kernel.typeBlock(base, blockEnd - position - offset, this.fields, this.kinds, this.tables, this.out, this.rowCapacity, this.index, this.exceptionList, this.bits);
        } catch (error) {
          // A trap (a kernel bug) leaves the table untouched, since only store() writes to
          // it: the JavaScript loop reads the rest, so the result is still right.
          if (!(error instanceof WebAssembly.RuntimeError)) throw error;
          this.failure = error;
          return typeRecords(table, bytes, view, position + offset, end);
        }
        if (rows > 0) this.store(table, rows, base);
        kernelRows += rows;
        offset += kernel.stoppedAt();
        if (kernel.reason() === STOPPED_AT_RECORD) {
          stops++;
          offset = typeRecords(table, bytes, view, position + offset, recordEnd(bytes, position + offset, blockEnd)) - position;
        }
      }
      position = blockEnd;
    }
    return position;
  }

  /** Sets each field's kind for the next block; false when a column is in a form the kernel does not write. */
  private prepare(table: CsvRows): boolean {
    const columns = table.columns;
    for (let field = 0; field < this.fields; field++) {
      const column = columns[field] as CsvColumn | null;
      let kind: number;
      if (column === null) kind = SKIP;
      else if (column.state === NUMERIC) {
        const common = column.spellings?.commonFractionDigits ?? -1;
        kind = column.spellings === null ? KIND_NUMERIC : KIND_NUMERIC_SPELLINGS | (Math.max(common, 0) << 8);
      } else if (column.state === CODED) {
        kind = KIND_CODED;
        this.mirrorLabels(field, column);
      } else return false;
      this.words[(this.kinds >>> 2) + field] = kind;
    }
    return true;
  }

  /** Copies a block's columns into the table's storage, then reads the listed cells by the general rules. */
  private store(table: CsvRows, rows: number, input: number): void {
    const first = table.rows;
    table.reserve(first + rows);
    const columns = table.columns;
    const kinds = this.kinds >>> 2;
    for (let field = 0; field < this.fields; field++) {
      const kind = (this.words[kinds + field] as number) & 0xff;
      const column = columns[field] as CsvColumn;
      const region = this.out + 8 * this.rowCapacity * field;
      if (kind === KIND_NUMERIC || kind === KIND_NUMERIC_SPELLINGS) column.numbers.set(this.doubles.subarray(region >>> 3, (region >>> 3) + rows), first);
      if (kind === KIND_NUMERIC_SPELLINGS) column.addCommonSpellings(this.bytes, this.bits + this.bitBytes * field, first, rows);
      else if (kind === KIND_CODED) column.codes.set(this.halves.subarray(region >>> 1, (region >>> 1) + rows), first);
    }
    const count = this.kernel.exceptions();
    const words = this.words;
    // Listed column by column: a column's cells stay in row order, and columns do not
    // depend on each other. Cells of rows past the last one read are not taken.
    for (let index = 0, at = this.exceptionList >>> 2; index < count; index++, at += EXCEPTION_WORDS) {
      if ((words[at] as number) >= rows) continue;
      const row = first + (words[at] as number);
      const column = columns[words[at + 1] as number] as CsvColumn;
      const start = input + (words[at + 2] as number);
      const stop = input + (words[at + 3] as number);
      if (words[at + 4] === EXCEPTION_NUMBER) column.addBytes(this.bytes, start, stop, row);
      else if (column.spellings !== null) {
        const digits = words[at + 5] as number;
        column.plainSpelling(this.bytes, start, stop, digits >>> 8, digits & 0xff, row);
      }
    }
    table.rows = first + rows;
    table.line += rows;
  }

  /** Brings the kernel's mirror of a coded column's labels up to date (labels added since the last block). */
  private mirrorLabels(field: number, column: CsvColumn): void {
    const labels = column.labels;
    let mirrored = this.mirrored[field] as number;
    let table = this.tableAt[field] as number;
    // Allocated before the first label is known: the kernel looks every coded cell up here.
    if (table === 0) {
      table = this.end;
      this.end = align(this.end + TABLE_BYTES);
      this.ensureMemory(this.end);
      this.bytes.fill(0, table, table + TABLE_BYTES);
      this.tableAt[field] = table;
      this.words[(this.tables >>> 2) + field] = table;
    }
    if (mirrored === labels.size) return;
    const words = this.words;
    const base = table >>> 2;
    let poolUsed = words[base + 1] as number;
    for (let code = mirrored + 1; code <= labels.size; code++) {
      const label = labels.bytesOf(code);
      // A label that does not fit the pool stays out of the mirror: its cells stop the kernel.
      if (poolUsed + label.length > POOL_BYTES) continue;
      const hash = labels.hashOf(code);
      words[base + (TABLE_HASHES >>> 2) + code] = hash;
      words[base + (TABLE_LENGTHS >>> 2) + code] = label.length;
      words[base + (TABLE_STARTS >>> 2) + code] = TABLE_POOL + poolUsed;
      words[base + (TABLE_FIRST_WORDS >>> 2) + code] = wordAt(label, 0, label.length);
      words[base + (TABLE_SECOND_WORDS >>> 2) + code] = wordAt(label, 4, label.length);
      this.bytes.set(label, table + TABLE_POOL + poolUsed);
      poolUsed += label.length;
      let slot = hash & (SLOTS - 1);
      while (words[base + (TABLE_SLOTS >>> 2) + slot] !== 0) slot = (slot + 1) & (SLOTS - 1);
      words[base + (TABLE_SLOTS >>> 2) + slot] = code;
    }
    mirrored = labels.size;
    words[base + 1] = poolUsed;
    this.mirrored[field] = mirrored;
  }

  private ensureMemory(bytes: number): void {
    const memory = this.kernel.memory;
    const needed = bytes + SLACK_BYTES - memory.buffer.byteLength;
    if (needed > 0) memory.grow(Math.ceil(needed / 65536));
    const buffer = memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer);
    this.doubles = new Float64Array(buffer);
    this.halves = new Uint16Array(buffer);
  }
}

function align(address: number): number {
  return (address + 15) & ~15;
}

/** The end of the record at `position`: after its LF, or `end`. */
function recordEnd(bytes: Uint8Array, position: number, end: number): number {
  const lf = bytes.indexOf(LF, position);
  return lf < 0 || lf >= end ? end : lf + 1;
}
