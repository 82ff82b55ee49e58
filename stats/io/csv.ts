// CSV reader (RFC 4180): a header row, comma-separated fields, fields quoted with `"`
// that may hold commas, doubled quotes and line breaks, CRLF, LF or CR line endings.
// Cells are typed the way pandas.read_csv types them by default (see text-values.ts):
// an empty field is missing, and a column whose cells all parse as numbers holds numbers.
//
// Input may arrive in chunks (push) so that files larger than one JavaScript string can
// be read; a record split across chunks is carried over to the next one.

import { TextColumnBuilder } from "./text-column.ts";
import { checkWantedColumns, DatasetError, datasetFromColumns, type Dataset, type ReadOptions } from "./dataset.ts";
import type { RawValue } from "../drift/types.ts";

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Reads a whole CSV text into a Dataset. Throws DatasetError naming the bad row or line. */
export function parseCsv(text: string, options: ReadOptions = {}): Dataset {
  const reader = new CsvReader(options);
  reader.push(text);
  return reader.finish();
}

export class CsvReader {
  private readonly onProgress: ((cellsRead: number) => void) | undefined;
  private readonly wanted: readonly string[] | undefined;
  private pending = "";
  private started = false;
  // 1-based line on which the next record starts (records may span lines).
  private line = 1;
  private header: string[] | null = null;
  // One per header field; null for a column skipped by the `columns` option.
  private builders: Array<TextColumnBuilder | null> = [];
  private dataRows = 0;
  // The current record's fields: unquoted ones as ranges of the text (numbers are read
  // in place, without a copy), quoted ones as their decoded string.
  private fieldCount = 0;
  private readonly fieldStarts: number[] = [];
  private readonly fieldStops: number[] = [];
  private readonly fieldTexts: Array<string | undefined> = [];

  constructor(options: ReadOptions = {}) {
    this.onProgress = options.onProgress;
    this.wanted = options.columns;
  }

  push(chunk: string): void {
    let text = this.pending + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.pending = this.parseRecords(text, false);
    this.reportProgress();
  }

  finish(): Dataset {
    this.parseRecords(this.pending, true);
    this.pending = "";
    if (this.header === null) throw new DatasetError("no header row (the file is empty)");
    this.reportProgress();
    const columns = new Map<string, RawValue[]>();
    this.header.forEach((name, index) => {
      const builder = this.builders[index];
      if (builder !== null && builder !== undefined) columns.set(name, builder.finish());
    });
    return datasetFromColumns(columns);
  }

  private reportProgress(): void {
    this.onProgress?.(this.dataRows * this.builders.length);
  }

  /** Parses every complete record in `text`; returns the unparsed tail (an incomplete record). */
  private parseRecords(text: string, final: boolean): string {
    const length = text.length;
    // Next quote, CR and comma at or after `position` (length when none): cached so that
    // each indexOf scans the text once in total, however the lines are shaped.
    let nextQuote = -1;
    let nextCr = -1;
    let nextComma = -1;
    let position = 0;
    while (position < length) {
      if (nextQuote < position) nextQuote = indexOrEnd(text, '"', position);
      if (nextCr < position) nextCr = indexOrEnd(text, "\r", position);
      const lineEnd = text.indexOf("\n", position);
      // Fast path: a line with no quotes and no CR except one just before its LF is
      // split at commas with native searches.
      if (lineEnd >= 0 && nextQuote > lineEnd && nextCr >= lineEnd - 1) {
        const stop = nextCr === lineEnd - 1 ? nextCr : lineEnd;
        this.fieldCount = 0;
        let fieldStart = position;
        for (;;) {
          if (nextComma < fieldStart) nextComma = indexOrEnd(text, ",", fieldStart);
          if (nextComma >= stop) break;
          this.addField(undefined, fieldStart, nextComma);
          fieldStart = nextComma + 1;
        }
        this.addField(undefined, fieldStart, stop);
        this.acceptRecord(text, false);
        this.line++;
        position = lineEnd + 1;
        continue;
      }
      const next = this.parseRecord(text, position, final);
      if (next < 0) return text.slice(position);
      position = next;
    }
    return "";
  }

  /**
   * Parses one record starting at `start` and consumes it. Returns the index after its
   * line ending, or -1 when the text ends inside the record and more input may follow.
   */
  private parseRecord(text: string, start: number, final: boolean): number {
    this.fieldCount = 0;
    const length = text.length;
    let position = start;
    let lineBreaks = 0;
    let quoted = false;
    for (;;) {
      if (position < length && text.charCodeAt(position) === QUOTE) {
        quoted = true;
        let parts = "";
        let from = position + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            if (!final) return -1;
            throw new DatasetError(`line ${this.line}: quoted field is never closed`);
          }
          lineBreaks += countLineBreaks(text, from, close);
          if (close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
            parts += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          if (close + 1 >= length && !final) return -1; // a doubled quote may follow
          parts += text.slice(from, close);
          position = close + 1;
          break;
        }
        this.addField(parts, 0, 0);
        const after = position < length ? text.charCodeAt(position) : -1;
        if (after !== -1 && after !== COMMA && after !== LF && after !== CR) {
          throw new DatasetError(`line ${this.line + lineBreaks}: unexpected text after a closing quote`);
        }
      } else {
        let end = position;
        while (end < length) {
          const code = text.charCodeAt(end);
          if (code === COMMA || code === LF || code === CR) break;
          end++;
        }
        this.addField(undefined, position, end);
        position = end;
      }
      if (position >= length) {
        if (!final) return -1;
        this.acceptRecord(text, quoted);
        this.line += lineBreaks + 1;
        return position;
      }
      const code = text.charCodeAt(position);
      if (code === COMMA) {
        position++;
        continue;
      }
      if (code === CR) {
        if (position + 1 >= length && !final) return -1; // an LF may follow in the next chunk
        position += position + 1 < length && text.charCodeAt(position + 1) === LF ? 2 : 1;
      } else {
        position++; // LF
      }
      this.acceptRecord(text, quoted);
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

  private fieldText(text: string, index: number): string {
    return this.fieldTexts[index] ?? text.slice(this.fieldStarts[index], this.fieldStops[index]);
  }

  private acceptRecord(text: string, quoted: boolean): void {
    const count = this.fieldCount;
    // Blank lines are skipped, as pandas does (skip_blank_lines).
    if (!quoted && count === 1 && this.fieldStarts[0] === this.fieldStops[0]) return;
    if (this.header === null) {
      const names = Array.from({ length: count }, (_, index) => this.fieldText(text, index));
      this.header = headerNames(names, this.line);
      checkWantedColumns(this.wanted, this.header);
      const wanted = this.wanted === undefined ? undefined : new Set(this.wanted);
      this.builders = this.header.map((name) => (wanted === undefined || wanted.has(name) ? new TextColumnBuilder() : null));
      return;
    }
    this.dataRows++;
    if (count !== this.builders.length) {
      throw new DatasetError(
        `row ${this.dataRows} (line ${this.line}): expected ${this.builders.length} fields, found ${count}`,
      );
    }
    for (let index = 0; index < count; index++) {
      const builder = this.builders[index];
      if (builder === null || builder === undefined) continue;
      const decoded = this.fieldTexts[index];
      if (decoded === undefined) builder.addRange(text, this.fieldStarts[index] as number, this.fieldStops[index] as number);
      else builder.add(decoded);
    }
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === LF) breaks++;
    else if (code === CR && text.charCodeAt(index + 1) !== LF) breaks++;
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
