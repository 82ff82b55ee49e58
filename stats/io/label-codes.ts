// The labels of one CSV column as small integer codes. Categorical columns repeat a
// handful of labels millions of times: looking a cell's bytes up in a small hash table
// and storing a code costs less than decoding and allocating a string per cell, leaves no
// garbage, and the codes (an Int32Array) move between threads without a copy.
//
// Code 0 is a missing cell; every distinct cell text gets the next code, and its value is
// the decoded text, or null for one of pandas' missing-value tokens.

import { MISSING_TOKENS } from "./text-values.ts";
import { decodeUtf8 } from "./utf8.ts";

/** Past this many distinct cells the column is more like an id than a label (see CsvColumn). */
export const MAX_LABELS = 4096;
const SLOTS = 8192; // a power of two, at least twice MAX_LABELS
/** The code of a missing cell. */
export const MISSING_CODE = 0;

/** Where every cell hash starts. */
export const HASH_SEED = 0x2c9277b5;
/** Masks that keep the first 0, 1, 2 or 3 bytes of a little-endian word. */
export const LOW_BYTES = Int32Array.of(0, 0xff, 0xffff, 0xffffff);

/** One step of the cell hash: mixes in the next (little-endian, zero-padded) 4-byte word. */
export function mixWord(hash: number, word: number): number {
  const mixed = Math.imul(hash ^ word, 0x9e3779b1);
  return mixed ^ (mixed >>> 15);
}

/** The hash of a cell of `length` bytes after mixing in its words. */
export function finishHash(hash: number, length: number): number {
  return Math.imul(hash ^ length, 0x85ebca6b) | 0;
}

/** The little-endian word of bytes[start, min(start + 4, stop)), zero-padded. */
export function wordAt(bytes: Uint8Array, start: number, stop: number): number {
  let word = 0;
  for (let index = start, shift = 0; index < stop && shift < 32; index++, shift += 8) word |= (bytes[index] as number) << shift;
  return word;
}

/** The same hash as the CSV fast path computes word by word (csv-records.ts). */
export function hashBytes(bytes: Uint8Array, start: number, stop: number): number {
  let hash = HASH_SEED;
  for (let index = start; index < stop; index += 4) hash = mixWord(hash, wordAt(bytes, index, stop));
  return finishHash(hash, stop - start);
}

export class LabelCodes {
  // Open addressing: slot → code (0 = empty).
  private readonly slots = new Int32Array(SLOTS);
  private readonly hashes = new Int32Array(MAX_LABELS + 1);
  // Each label's length and first two little-endian words, zero-padded: labels of up
  // to 8 bytes compare by these alone.
  private readonly lengths = new Int32Array(MAX_LABELS + 1);
  private readonly firstWords = new Int32Array(MAX_LABELS + 1);
  private readonly secondWords = new Int32Array(MAX_LABELS + 1);
  /** Value by code: the text, or null for code 0 and missing tokens. */
  readonly values: Array<string | null> = [null];
  // Each label's bytes, back to back in `pool`, from starts[code] to starts[code + 1].
  private pool = new Uint8Array(1024);
  private readonly starts: number[] = [0, 0];

  get size(): number {
    return this.values.length - 1;
  }

  /** The hash of the label with `code` (1 to size). */
  hashOf(code: number): number {
    return this.hashes[code] as number;
  }

  /** The bytes of the label with `code` (1 to size): a view, valid until the next label is added. */
  bytesOf(code: number): Uint8Array {
    return this.pool.subarray(this.starts[code] as number, this.starts[code + 1] as number);
  }

  /** The code of bytes[start, stop) (hashed with hashBytes), or -1 when it is new. */
  find(hash: number, bytes: Uint8Array, start: number, stop: number): number {
    for (let slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const code = this.slots[slot] as number;
      if (code === 0) return -1;
      if (this.hashes[code] === hash && this.sameBytes(code, bytes, start, stop)) return code;
    }
  }

  /** find for a label of at most 8 bytes, given by its length and first two words (zero-padded). */
  findShort(hash: number, length: number, first: number, second: number): number {
    for (let slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const code = this.slots[slot] as number;
      if (code === 0) return -1;
      if (this.hashes[code] === hash && this.lengths[code] === length && this.firstWords[code] === first && this.secondWords[code] === second) return code;
    }
  }

  /** The code of bytes[start, stop), added when new; -1 when it is new and the table is full. */
  code(hash: number, bytes: Uint8Array, start: number, stop: number): number {
    const found = this.find(hash, bytes, start, stop);
    if (found >= 0 || this.values.length > MAX_LABELS) return found;
    return this.add(hash, bytes, start, stop);
  }

  private sameBytes(code: number, bytes: Uint8Array, start: number, stop: number): boolean {
    const from = this.starts[code] as number;
    if ((this.starts[code + 1] as number) - from !== stop - start) return false;
    const pool = this.pool;
    for (let index = 0; index < stop - start; index++) {
      if (pool[from + index] !== bytes[start + index]) return false;
    }
    return true;
  }

  private add(hash: number, bytes: Uint8Array, start: number, stop: number): number {
    const from = this.starts[this.starts.length - 1] as number;
    if (from + (stop - start) > this.pool.length) {
      const grown = new Uint8Array(2 * this.pool.length + (stop - start));
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(start, stop), from);
    this.starts.push(from + (stop - start));
    const text = decodeUtf8(bytes, start, stop);
    const code = this.values.length;
    this.values.push(MISSING_TOKENS.has(text) ? null : text);
    this.hashes[code] = hash;
    this.lengths[code] = stop - start;
    this.firstWords[code] = wordAt(bytes, start, stop);
    this.secondWords[code] = wordAt(bytes, start + 4, stop);
    let slot = hash & (SLOTS - 1);
    while (this.slots[slot] !== 0) slot = (slot + 1) & (SLOTS - 1);
    this.slots[slot] = code;
    return code;
  }
}
