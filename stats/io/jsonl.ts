// JSON Lines reader (https://jsonlines.org): one JSON object per line. Blank lines are
// skipped; any other line that is not a JSON object is an error naming its line number.
// Input may arrive in chunks (push); a line split across chunks is carried over.

import type { Dataset, ReadOptions } from "./dataset.ts";
import { DatasetError } from "./dataset.ts";
import { ObjectRowsBuilder } from "./object-rows.ts";

/** Reads a whole JSON Lines text into a Dataset. */
export function parseJsonLines(text: string, options: ReadOptions = {}): Dataset {
  const reader = new JsonLinesReader(options);
  reader.push(text);
  return reader.finish();
}

export class JsonLinesReader {
  private readonly onProgress: ((cellsRead: number) => void) | undefined;
  private readonly rows: ObjectRowsBuilder;
  private pending = "";
  private line = 0;

  constructor(options: ReadOptions = {}) {
    this.onProgress = options.onProgress;
    this.rows = new ObjectRowsBuilder(options.columns);
  }

  push(chunk: string): void {
    const text = this.pending + chunk;
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      this.parseLine(text.slice(start, end));
      start = end + 1;
    }
    this.pending = text.slice(start);
    this.onProgress?.(this.rows.cells);
  }

  finish(): Dataset {
    if (this.pending.length > 0) this.parseLine(this.pending);
    this.pending = "";
    this.onProgress?.(this.rows.cells);
    return this.rows.finish();
  }

  private parseLine(raw: string): void {
    this.line++;
    const text = this.line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`line ${this.line}: not valid JSON (${(error as Error).message})`);
    }
    this.rows.add(value, `line ${this.line}`);
  }
}
