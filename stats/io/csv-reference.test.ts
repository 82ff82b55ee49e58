// The CSV reader against a reference: a plain character-by-character RFC 4180 parser and
// the typing rule stated in text-values.ts, written for clarity, not speed. Whole files,
// files fed in chunks whose edges fall anywhere (inside quoted fields, between CR and LF),
// and files cut into slices at every byte offset, read slice by slice and joined as the
// CLI's worker threads do (csv-split.ts, csv-parts.ts), must all give the reference table.

import { describe, expect, it } from "vitest";
import { rawColumn } from "../drift/coded-labels.ts";
import type { RawValue } from "../drift/types.ts";
import { mulberry32 } from "../testing/rng.ts";
import { CsvReader, parseCsv } from "./csv.ts";
import { joinColumnParts } from "./csv-parts.ts";
import { CsvCutFinder } from "./csv-split.ts";
import type { Dataset, DatasetColumn } from "./dataset.ts";
import { MISSING_TOKENS, parseNumberText } from "./text-values.ts";

const encoder = new TextEncoder();

/** Records of `text` as field strings: quotes open only at a field's start, "" is a quote. */
function referenceRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // the current field was quoted (then it is never a blank line)
  let index = text.startsWith("\uFEFF") ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line (one empty bare field) is skipped, as pandas does.
    if (!(fields.length === 1 && fields[0] === "" && !quoted)) records.push(fields);
    fields = [];
    field = "";
    quoted = false;
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"' && field === "" && !quoted) {
      quoted = true;
      index++;
      for (;;) {
        const close = text.indexOf('"', index);
        if (close < 0) throw new Error("unclosed quote in a generated file");
        field += text.slice(index, close);
        if (text[close + 1] === '"') {
          field += '"';
          index = close + 2;
        } else {
          index = close + 1;
          break;
        }
      }
    } else if (char === ",") {
      fields.push(field);
      field = "";
      quoted = false;
      index++;
    } else if (char === "\n" || char === "\r") {
      index += char === "\r" && text[index + 1] === "\n" ? 2 : 1;
      endRecord();
    } else {
      field += char;
      index++;
    }
  }
  if (field !== "" || quoted || fields.length > 0) endRecord();
  return records;
}

/** The table the reader must give: a column is numbers when every present cell is one, else text as written. */
function referenceTable(text: string): Map<string, RawValue[]> {
  const [header, ...rows] = referenceRecords(text);
  const table = new Map<string, RawValue[]>();
  header!.forEach((name, column) => {
    const cells = rows.map((row) => row[column] as string);
    const numeric = cells.every((cell) => MISSING_TOKENS.has(cell) || parseNumberText(cell) !== undefined);
    const values = cells.map((cell): RawValue => {
      if (MISSING_TOKENS.has(cell)) return numeric ? Number.NaN : null;
      return numeric ? (parseNumberText(cell) as number) : cell;
    });
    table.set(name === "" ? `Unnamed: ${column}` : name, values);
  });
  return table;
}

/** Cells with every feature of the grammar: quotes, embedded commas and line breaks, NA, spellings. */
const CELLS = [
  "1", "-2.5", "3.50", "007", "1e3", "", "NA", "nan", "inf", "west", "Zürich", "a b", "x\"y",
  '"q"', '"a,b"', '"two\nlines"', '"cr\r\nlf"', '"say ""hi"""', '""', '"7.25"', '","', '"\n"', '""""',
];

/** A seeded table of `rows` records over `columns` columns; some columns only numbers. */
function generatedFile(seed: number, columns: number, rows: number, ending: string, bom: boolean, trailingEnd: boolean): string {
  const random = mulberry32(seed);
  const header = Array.from({ length: columns }, (_, index) => (index === 1 ? '"h,1"' : `c${index}`));
  const numericColumn = Math.floor(random() * columns);
  const lines = [header.join(",")];
  for (let row = 0; row < rows; row++) {
    const cells = Array.from({ length: columns }, (_, column) =>
      column === numericColumn ? (random() * 200 - 100).toFixed(Math.floor(random() * 5)) : (CELLS[Math.floor(random() * CELLS.length)] as string),
    );
    // A record of one empty bare field would be a blank line, which is skipped.
    if (columns === 1 && cells[0] === "") cells[0] = "NA";
    lines.push(cells.join(","));
  }
  return (bom ? "\uFEFF" : "") + lines.join(ending) + (trailingEnd ? ending : "");
}

function expectTable(actual: Map<string, DatasetColumn> | Dataset, expected: Map<string, RawValue[]>): void {
  const names = actual instanceof Map ? [...actual.keys()] : actual.columns;
  expect(names).toEqual([...expected.keys()]);
  for (const [name, values] of expected) {
    const column = actual instanceof Map ? actual.get(name)! : (actual.numbers(name) ?? actual.get(name));
    const numeric = values.every((value) => typeof value === "number");
    expect(column instanceof Float64Array, name).toBe(numeric);
    expect(Array.from(rawColumn(column)), name).toEqual(values);
  }
}

/** Reads `bytes` cut at `targets` (CsvCutFinder fed in `finderChunk`-byte pieces), slice by slice, joined. */
function readInSlices(bytes: Uint8Array, targets: number[], finderChunk: number, readerChunk: number): Map<string, DatasetColumn> {
  const finder = new CsvCutFinder(targets);
  for (let start = 0; start < bytes.length && !finder.done; start += finderChunk) finder.push(bytes.subarray(start, start + finderChunk));
  const bounds = [0, ...finder.cuts.filter((cut) => cut < bytes.length), bytes.length];
  // The CLI reads the header from the first line (csv-slices.ts); here from the whole read.
  const whole = new CsvReader();
  whole.pushBytes(bytes);
  const header = whole.finish().columns;
  const slices = bounds.slice(0, -1).map((start, index) => {
    const reader = index === 0 ? new CsvReader() : new CsvReader({ header });
    const end = bounds[index + 1] as number;
    for (let at = start; at < end; at += readerChunk) reader.pushBytes(bytes.subarray(at, Math.min(end, at + readerChunk)));
    return reader.finishParts();
  });
  const columns = new Map<string, DatasetColumn>();
  for (const name of header) {
    const parts = slices.map((slice) => ({ rows: slice.rows, part: slice.columns.find((column) => column.name === name)!.part }));
    // A column the join refuses is read again from the whole file, as drift-worker.ts does.
    const reader = new CsvReader({ columns: [name] });
    columns.set(name, joinColumnParts(parts) ?? (reader.pushBytes(bytes), reader.finish().get(name)));
  }
  return columns;
}

describe("CSV reader against a reference parser", () => {
  it("reads generated files as the reference does, whole and in chunks of any size", () => {
    for (let seed = 1; seed <= 120; seed++) {
      const random = mulberry32(1000 + seed);
      const columns = 1 + Math.floor(random() * 4);
      const text = generatedFile(seed, columns, Math.floor(random() * 40), random() < 0.5 ? "\n" : "\r\n", random() < 0.3, random() < 0.8);
      const expected = referenceTable(text);
      expectTable(parseCsv(text), expected);
      const bytes = encoder.encode(text);
      const chunk = 1 + Math.floor(random() * 9);
      const reader = new CsvReader();
      for (let start = 0; start < bytes.length; start += chunk) reader.pushBytes(bytes.subarray(start, start + chunk));
      expectTable(reader.finish(), expected);
    }
  });

  it("gives the same table with a chunk edge at every byte of a small file", () => {
    const text = '\uFEFFid,"note, with comma",v\r\n1,"two\r\nlines, ""q""",0.50\r\n2,,NA\r\n3,"\n",-7\r\n4,plain,1e2\r\n';
    const bytes = encoder.encode(text);
    const expected = referenceTable(text);
    expect(expected.get("note, with comma")).toEqual(['two\r\nlines, "q"', null, "\n", "plain"]);
    for (let edge = 0; edge <= bytes.length; edge++) {
      const reader = new CsvReader();
      reader.pushBytes(bytes.subarray(0, edge));
      reader.pushBytes(bytes.subarray(edge));
      expectTable(reader.finish(), expected);
    }
  });

  it("reads a small file cut into two slices at every byte offset as one reader does", () => {
    const text = '\uFEFFid,note,v\r\n1,"a,b",0.5\r\n2,"line one\nline two\r\n""three""",1\r\n3,x"y,2\r\n4,"",NA\r\n5,"\r\n",3.25\r\n6,end,4\r\n';
    const bytes = encoder.encode(text);
    const expected = referenceTable(text);
    expect(expected.get("note")).toEqual(["a,b", 'line one\nline two\r\n"three"', 'x"y', null, "\r\n", "end"]);
    for (let target = 0; target <= bytes.length; target++) {
      for (const finderChunk of [1, 4, bytes.length]) {
        expectTable(readInSlices(bytes, [target], finderChunk, 3), expected);
      }
    }
  });

  it("reads generated files cut into three slices anywhere as the reference does", () => {
    const random = mulberry32(99);
    for (let trial = 0; trial < 150; trial++) {
      const text = generatedFile(500 + trial, 1 + Math.floor(random() * 4), 5 + Math.floor(random() * 30), random() < 0.5 ? "\n" : "\r\n", random() < 0.3, random() < 0.8);
      const bytes = encoder.encode(text);
      const targets = [random(), random()].map((share) => Math.floor(share * bytes.length)).sort((a, b) => a - b);
      expectTable(readInSlices(bytes, targets, 1 + Math.floor(random() * 16), 1 + Math.floor(random() * 32)), referenceTable(text));
    }
  });
});
