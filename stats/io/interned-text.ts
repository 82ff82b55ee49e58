// Turns CSV cell bytes into strings, handing out one string per distinct cell while a
// column has few distinct values. Categorical columns repeat a handful of labels
// millions of times: looking the bytes up in a small hash table costs less than decoding
// and allocating a string per cell, and leaves no garbage behind.

import { decodeUtf8 } from "./utf8.ts";

// Past this many distinct cells the column is more like an id than a label: decode each
// cell instead, so the table stays small.
const MAX_DISTINCT = 4096;
const MAX_CELL_BYTES = 64;
const SLOTS = 8192; // a power of two, at least twice MAX_DISTINCT

export class InternedText {
  // Open addressing: slot → entry + 1 (0 = empty).
  private readonly slots = new Int32Array(SLOTS);
  private readonly strings: string[] = [];
  private readonly hashes: number[] = [];
  // Each entry's bytes, back to back in `pool`, from starts[i] to starts[i + 1].
  private pool = new Uint8Array(4096);
  private readonly starts: number[] = [0];

  /** The text of bytes[start, stop) as UTF-8. */
  text(bytes: Uint8Array, start: number, stop: number): string {
    const length = stop - start;
    if (length > MAX_CELL_BYTES || this.strings.length >= MAX_DISTINCT) return decodeUtf8(bytes, start, stop);
    let hash = 0x811c9dc5; // FNV-1a
    for (let index = start; index < stop; index++) hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
    for (let slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) return this.add(slot, hash, bytes, start, stop);
      if (this.hashes[entry] === hash && this.sameBytes(entry, bytes, start, stop)) return this.strings[entry] as string;
    }
  }

  private sameBytes(entry: number, bytes: Uint8Array, start: number, stop: number): boolean {
    const from = this.starts[entry] as number;
    if ((this.starts[entry + 1] as number) - from !== stop - start) return false;
    for (let index = 0; index < stop - start; index++) {
      if (this.pool[from + index] !== bytes[start + index]) return false;
    }
    return true;
  }

  private add(slot: number, hash: number, bytes: Uint8Array, start: number, stop: number): string {
    const from = this.starts[this.starts.length - 1] as number;
    if (from + (stop - start) > this.pool.length) {
      const grown = new Uint8Array(2 * this.pool.length + (stop - start));
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(start, stop), from);
    this.starts.push(from + (stop - start));
    const text = decodeUtf8(bytes, start, stop);
    this.strings.push(text);
    this.hashes.push(hash);
    this.slots[slot] = this.strings.length;
    return text;
  }
}
