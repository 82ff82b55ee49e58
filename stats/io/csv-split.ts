// Where to cut a CSV file into slices that several threads can read at once: each cut
// must fall where a record starts, which an LF inside a quoted field is not. The scanner
// follows the reader's grammar (csv.ts) from the file's first byte: a quote opens a
// quoted field only at a field's start, a doubled quote inside one is a literal quote,
// and a quote anywhere else is a plain character. Outside quoted fields it jumps from
// quote to quote with native searches, so a file without quotes costs one indexOf pass.
//
// Feed the file's bytes in order with push(); a cut is the position after the first LF
// outside quotes at or after each target offset. The searches go through a FindByte
// (find-byte.ts), so a host can use a faster one than Uint8Array.prototype.indexOf.

import { type FindByte, findByteInArray } from "./find-byte.ts";

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvCutFinder {
  private readonly targets: readonly number[];
  private readonly findByte: FindByte;
  /** The cuts found so far, one per target in order (a cut may serve several targets). */
  readonly cuts: number[] = [];
  // Absolute offset of the next chunk's first byte.
  private offset = 0;
  private inQuotes = false;
  // Outside quotes: whether the next byte starts a field (file start, or after , LF CR).
  private atFieldStart = true;
  // Inside quotes, the last chunk ended on a quote: the next byte says whether it closed.
  private quoteAtEnd = false;
  private started = false;

  /** `targets`: ascending byte offsets. */
  constructor(targets: readonly number[], findByte: FindByte = findByteInArray) {
    this.targets = targets;
    this.findByte = findByte;
  }

  /** Whether every target has its cut (no more input is needed). */
  get done(): boolean {
    return this.cuts.length === this.targets.length;
  }

  push(chunk: Uint8Array): void {
    let position = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      // A byte order mark is not part of the first field (the reader drops it).
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) position = 3;
    }
    const length = chunk.length;
    while (position < length && !this.done) {
      if (this.inQuotes) {
        if (this.quoteAtEnd) {
          this.quoteAtEnd = false;
          if (chunk[position] === QUOTE) {
            position++; // a doubled quote: still inside
            continue;
          }
          this.closeQuote();
          continue;
        }
        const close = this.findByte(chunk, QUOTE, position);
        if (close < 0) break;
        if (close + 1 >= length) {
          this.quoteAtEnd = true;
          position = length;
          break;
        }
        if (chunk[close + 1] === QUOTE) {
          position = close + 2;
          continue;
        }
        position = close + 1;
        this.closeQuote();
        continue;
      }
      const quote = this.findByte(chunk, QUOTE, position);
      const stop = quote < 0 ? length : quote;
      this.findCuts(chunk, position, stop);
      if (quote < 0) {
        if (length > position) this.atFieldStart = isDelimiter(chunk[length - 1] as number);
        position = length;
        break;
      }
      const fieldStart = quote === position ? this.atFieldStart : isDelimiter(chunk[quote - 1] as number);
      position = quote + 1;
      if (fieldStart) this.inQuotes = true;
      else this.atFieldStart = false;
    }
    this.offset += length;
  }

  private closeQuote(): void {
    this.inQuotes = false;
    this.atFieldStart = false;
  }

  /** Records the cuts in chunk[from, to), a stretch outside quotes with no quote in it. */
  private findCuts(chunk: Uint8Array, from: number, to: number): void {
    while (!this.done) {
      const target = (this.targets[this.cuts.length] as number) - this.offset;
      // The cut is after an LF at or after target - 1, so that it is at or after target.
      const lf = this.findByte(chunk, LF, Math.max(from, target - 1));
      if (lf < 0 || lf >= to) return;
      this.cuts.push(this.offset + lf + 1);
    }
  }
}

function isDelimiter(code: number): boolean {
  return code === COMMA || code === LF || code === CR;
}
