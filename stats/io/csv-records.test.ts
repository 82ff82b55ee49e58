// The fast loop (csv-records.ts) must type every cell exactly as the general path does.
// Quoted records never reach the fast loop, and quoted cells are typed like bare ones, so
// the same table with every field quoted is the oracle: any difference is a fast-path bug.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvReader, parseCsv } from "./csv.ts";
import type { Dataset } from "./dataset.ts";

/** Cells near the number grammar and its edges, labels, and missing-value tokens. */
const cell = fc.oneof(
  fc
    .array(fc.constantFrom("0", "0", "1", "5", "9", "-", "+", ".", "e", " ", "00", "000000", "1234567", "12345678"), { maxLength: 8 })
    .map((parts) => parts.join("")),
  fc.constantFrom("", "NA", "nan", "inf", "-Infinity", "1.50", "-0.0", "-0", "007", "0.0000001", "0.00000010", "5.", ".5", "1e-05"),
  fc.constantFrom("west", "east", "a", "online", "Zürich", "x y", "abcdefghi"),
  // Bytes below the comma (space, !, #, $, %, &, ', (, ), *, +) at every place in a word,
  // which the label loop must tell from the comma, LF and CR it stops at.
  fc.constantFrom("#N/A", "a+b", "x!", "(1)", "a&b c", "'q'", "abc*", "abcd efgh", "%", "1.5 "),
);

const table = fc.record({
  columns: fc.integer({ min: 1, max: 4 }),
  cells: fc.array(cell, { minLength: 1, maxLength: 120 }),
  ending: fc.constantFrom("\n", "\r\n", "\r"),
  blankEvery: fc.integer({ min: 0, max: 7 }),
});

function render(columns: number, cells: readonly string[], ending: string, blankEvery: number, quote: boolean): string {
  const header = Array.from({ length: columns }, (_, index) => `c${index}`).join(",");
  const lines = [header];
  for (let start = 0; start + columns <= cells.length; start += columns) {
    lines.push(cells.slice(start, start + columns).map((text) => (quote ? `"${text}"` : text)).join(","));
    if (blankEvery > 0 && lines.length % blankEvery === 0) lines.push("");
  }
  return lines.join(ending) + ending;
}

function sameTable(actual: Dataset, expected: Dataset): void {
  expect(actual.columns).toEqual(expected.columns);
  expect(actual.rows).toBe(expected.rows);
  for (const name of expected.columns) {
    expect(actual.numbers(name) === undefined).toBe(expected.numbers(name) === undefined);
    expect(actual.get(name)).toEqual(expected.get(name));
  }
}

describe("CSV fast loop", () => {
  it("types every cell as the general path does (property)", () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 40 }), ({ columns, cells: generated, ending, blankEvery }, chunk) => {
        let cells = generated;
        if (cells.length < columns) return;
        // A one-column record holding an empty bare cell is a blank line (skipped); quoted, it is a row.
        if (columns === 1) cells = cells.map((text) => (text === "" ? "NA" : text));
        const bare = render(columns, cells, ending, blankEvery, false);
        const quoted = render(columns, cells, ending, blankEvery, true);
        const expected = parseCsv(quoted);
        sameTable(parseCsv(bare), expected);
        // The same bytes in chunks: records are carried over and finished on the general path.
        const reader = new CsvReader();
        const bytes = new TextEncoder().encode(bare);
        for (let start = 0; start < bytes.length; start += chunk) reader.pushBytes(bytes.subarray(start, start + chunk));
        sameTable(reader.finish(), expected);
      }),
      { numRuns: 400 },
    );
  });

  it("keeps spellings up to the limit, then the numbers' own, as the general path does", () => {
    // With "-0.0", 100,001 cells that String(number) does not spell back pass the 100,000
    // remembered spellings: every number then takes its own spelling when the column turns.
    for (const count of [99_999, 100_000]) {
      const cells = Array.from({ length: count }, (_, index) => `${index % 1000}.50`);
      const bare = `v\n${cells.join("\n")}\n-0.0\nlate\n`;
      const quoted = `v\n${cells.map((text) => `"${text}"`).join("\n")}\n"-0.0"\n"late"\n`;
      const values = parseCsv(bare).get("v");
      expect(values).toEqual(parseCsv(quoted).get("v"));
      expect(values[1]).toBe(count === 99_999 ? "1.50" : "1.5");
      expect(values[count]).toBe(count === 99_999 ? "-0.0" : "0");
    }
  });

  it("gives back trailing-zero spellings with the first cell's fraction digits and any other count", () => {
    const cells = ["1.50", "2.500", "3.5000", "4.50", "5", "-6.10", "0.70", "8.0", "9.5", "10.50", "-11.000"];
    const rows = Array.from({ length: 3000 }, (_, index) => cells[index % cells.length] as string);
    const values = parseCsv(`v\n${rows.join("\n")}\nlate\n`).get("v");
    expect(values.slice(0, -1)).toEqual(rows);
    expect(values.at(-1)).toBe("late");
  });

  it("keeps labels right up to the last code and past it (then one value per row)", () => {
    for (const distinct of [4095, 4096, 4097, 6000]) {
      const labels = Array.from({ length: 2 * distinct }, (_, index) => `k${index % distinct}`);
      expect(parseCsv(`id\n${labels.join("\n")}\n`).get("id")).toEqual(labels);
    }
  });

  it("reads numbers with more than 15 digits and long labels on the general path", () => {
    const data = parseCsv("n,l\n1234567890123456,abcdefghijklmnopqrstuvwxyz\n0.12345678901234567,b\n");
    expect(data.get("n")).toEqual([1234567890123456, 0.12345678901234567]);
    expect(data.get("l")).toEqual(["abcdefghijklmnopqrstuvwxyz", "b"]);
  });

  it("reports a row with too many or too few fields on the fast path", () => {
    expect(() => parseCsv("a,b\n1,2\n3,4,5,6\n7,8\n")).toThrow("row 2 (line 3): expected 2 fields, found 4");
    expect(() => parseCsv("a,b\n1,2\n\n3\n7,8\n")).toThrow("row 2 (line 4): expected 2 fields, found 1");
  });
});
