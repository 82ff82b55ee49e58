// Text of PLAIN-encoded Parquet strings, one string per distinct value. A categorical
// column written without a dictionary (a writer told not to, or one whose dictionary grew
// too large in an earlier row group) still repeats a few labels millions of times; looking
// each value's bytes up in a small hash table hands out the string decoded the first time,
// instead of decoding and keeping a new one per row, as the CSV reader's label codes do
// (label-codes.ts, whose hash this uses). Past MAX_INTERNED distinct values the column is
// more like an id than a label, and every value is decoded as it comes.

import { hashBytes } from "./label-codes.ts";
import { decodeUtf8 } from "./utf8.ts";

const MAX_INTERNED = 4096;
const SLOTS = 8192; // a power of two, at least twice MAX_INTERNED

export class StringInterner {
  // Open addressing: slot → entry + 1 (0 = empty).
  private readonly slots = new Int32Array(SLOTS);
  private readonly hashes = new Int32Array(MAX_INTERNED);
  private readonly strings: string[] = [];
  // Each entry's bytes, back to back: entry i is pool[starts[i], starts[i + 1]).
  private pool = new Uint8Array(1024);
  private readonly starts: number[] = [0];
  private full = false;

  /** The UTF-8 text of bytes[start, stop), the same string each time the bytes repeat. */
  text(bytes: Uint8Array, start: number, stop: number): string {
    if (this.full) return decodeUtf8(bytes, start, stop);
    const hash = hashBytes(bytes, start, stop);
    let slot = hash & (SLOTS - 1);
    for (; ; slot = (slot + 1) & (SLOTS - 1)) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === hash && this.sameBytes(entry, bytes, start, stop)) return this.strings[entry] as string;
    }
    const text = decodeUtf8(bytes, start, stop);
    const entry = this.strings.length;
    if (entry >= MAX_INTERNED) {
      this.full = true;
      return text;
    }
    const from = this.starts[entry] as number;
    if (from + (stop - start) > this.pool.length) {
      const grown = new Uint8Array(2 * this.pool.length + (stop - start));
      grown.set(this.pool.subarray(0, from));
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(start, stop), from);
    this.starts.push(from + (stop - start));
    this.strings.push(text);
    this.hashes[entry] = hash;
    this.slots[slot] = entry + 1;
    return text;
  }

  private sameBytes(entry: number, bytes: Uint8Array, start: number, stop: number): boolean {
    const from = this.starts[entry] as number;
    if ((this.starts[entry + 1] as number) - from !== stop - start) return false;
    const pool = this.pool;
    for (let index = 0; index < stop - start; index++) if (pool[from + index] !== bytes[start + index]) return false;
    return true;
  }
}
