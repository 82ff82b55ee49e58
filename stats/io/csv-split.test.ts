// Reading a CSV file in slices (cut by CsvCutFinder, read by separate CsvReaders, joined by
// joinColumnParts) must give the table one reader of the whole file gives, wherever the
// targets fall: inside quoted fields that hold line breaks, on CRLF pairs, in a chunk of
// the finder's input that ends on a quote.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawColumn } from "../drift/coded-labels.ts";
import { CsvReader, parseCsv } from "./csv.ts";
import { joinColumnParts } from "./csv-parts.ts";
import { CsvCutFinder } from "./csv-split.ts";
import type { DatasetColumn } from "./dataset.ts";

const encoder = new TextEncoder();

function findCuts(bytes: Uint8Array, targets: number[], chunk: number): number[] {
  const finder = new CsvCutFinder(targets);
  for (let start = 0; start < bytes.length && !finder.done; start += chunk) finder.push(bytes.subarray(start, start + chunk));
  return finder.cuts;
}

/** Each column read in slices and joined; a column the join refuses is read again whole, as the CLI does. */
function readInSlices(text: string, targets: number[], chunk: number): Map<string, DatasetColumn> {
  const bytes = encoder.encode(text);
  const bounds = [0, ...findCuts(bytes, targets, chunk).filter((cut) => cut < bytes.length), bytes.length];
  const header = parseCsv(text).columns;
  const slices = bounds.slice(0, -1).map((start, index) => {
    const reader = index === 0 ? new CsvReader() : new CsvReader({ header });
    reader.pushBytes(bytes.subarray(start, bounds[index + 1]));
    return reader.finishParts();
  });
  const columns = new Map<string, DatasetColumn>();
  for (const name of header) {
    const parts = slices.map((slice) => ({ rows: slice.rows, part: slice.columns.find((column) => column.name === name)!.part }));
    columns.set(name, joinColumnParts(parts) ?? parseCsv(text, { columns: [name] }).get(name));
  }
  return columns;
}

function expectSameAsWhole(text: string, targets: number[], chunk: number): void {
  const whole = parseCsv(text);
  const sliced = readInSlices(text, targets, chunk);
  expect([...sliced.keys()]).toEqual(whole.columns);
  for (const name of whole.columns) {
    const column = sliced.get(name)!;
    expect(column instanceof Float64Array).toBe(whole.numbers(name) !== undefined);
    expect(Array.from(rawColumn(column))).toEqual(whole.get(name));
  }
}

describe("CsvCutFinder", () => {
  it("never cuts inside a quoted field that holds line breaks, however the input is chunked", () => {
    const text = 'id,note,v\n1,plain,0.5\n2,"line one\nline two\r\nline ""three""\n",1\n3,"a,b",2\n4,x,3\n';
    const bytes = encoder.encode(text);
    const open = text.indexOf('"line one');
    const recordAfter = text.indexOf("3,");
    for (let target = open; target <= recordAfter; target++) {
      for (const chunk of [1, 2, 3, 7, 64]) {
        expect(findCuts(bytes, [target], chunk)).toEqual([recordAfter]);
      }
    }
    expectSameAsWhole(text, [open + 12], 5);
  });

  it("treats a quote inside a bare field as a plain character", () => {
    const text = 'a,b\n1,x"y\n2,z\n3,"q\n"\n';
    expect(findCuts(encoder.encode(text), [text.indexOf("x")], 4)).toEqual([text.indexOf("2,")]);
    expect(findCuts(encoder.encode(text), [text.indexOf('"q') + 1], 4)).toEqual([text.length]);
  });

  it("cuts after a CRLF pair and after a byte order mark's header", () => {
    const text = '\uFEFF"h,1",b\r\n1,2\r\n3,4\r\n';
    const bytes = encoder.encode(text);
    const second = bytes.indexOf(0x33); // "3"
    expect(findCuts(bytes, [second - 1], 2)).toEqual([second]);
    expectSameAsWhole(text, [second - 1], 2);
  });

  it("reads any table in slices as one reader reads it whole (property)", () => {
    const cell = fc.oneof(
      fc.constantFrom("1", "2.50", "-3", "", "NA", "007", "1e3", "x", "west", "a b"),
      fc.constantFrom('"q"', '"a,b"', '"two\nlines"', '"say ""hi"""', '"\r\n"', 'x"y'),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(cell, { minLength: 1, maxLength: 60 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 17 }),
        (columns, cells, ending, permilles, chunk) => {
          const header = Array.from({ length: columns }, (_, index) => `c${index}`).join(",");
          const lines = [header];
          for (let start = 0; start + columns <= cells.length; start += columns) lines.push(cells.slice(start, start + columns).join(","));
          const text = lines.join(ending) + ending;
          if (columns === 1 && /\n\n|\r\n\r\n/.test(text)) return; // blank-line cells: skipped either way
          const size = encoder.encode(text).length;
          const targets = permilles.map((permille) => Math.floor((permille * size) / 1000)).sort((a, b) => a - b);
          expectSameAsWhole(text, targets, chunk);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("joinColumnParts", () => {
  const numbersPart = (numbers: Float64Array) => ({ rows: numbers.length, part: { kind: "numbers" as const, numbers } });

  it("joins numbers into the first slice's storage when it has room for every row, else into a new array", () => {
    const storage = new Float64Array(8).fill(-1);
    storage.set([1, 2, 3]);
    const second = Float64Array.of(4, 5);
    const third = Float64Array.of(6, 7);
    const joined = joinColumnParts([numbersPart(storage.subarray(0, 3)), { rows: 0, part: { kind: "numbers", numbers: new Float64Array(0) } }, numbersPart(second), numbersPart(third)]);
    expect(joined).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6, 7));
    expect((joined as Float64Array).buffer).toBe(storage.buffer);
    expect(storage[7]).toBe(-1); // past the rows: untouched
    // One row more than the storage holds: a new array, the storage left as it was.
    const tight = Float64Array.of(1, 2, 3, -1, -1, -1);
    const fresh = joinColumnParts([numbersPart(tight.subarray(0, 3)), numbersPart(second), numbersPart(Float64Array.of(6, 7))]);
    expect(fresh).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6, 7));
    expect((fresh as Float64Array).buffer).not.toBe(tight.buffer);
    expect(tight).toEqual(Float64Array.of(1, 2, 3, -1, -1, -1));
  });

  it("does not join in place over a later slice that shares the first slice's buffer", () => {
    const storage = Float64Array.of(1, 2, 3, 4, 5, 6, 0, 0);
    const joined = joinColumnParts([numbersPart(storage.subarray(0, 2)), numbersPart(storage.subarray(4, 6))]);
    expect(joined).toEqual(Float64Array.of(1, 2, 5, 6));
    expect(storage).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6, 0, 0));
  });

  it("refuses a column that is numeric in one slice and text in another, or converted late", () => {
    const numbers = { rows: 1, part: { kind: "numbers" as const, numbers: Float64Array.of(1) } };
    const codes = { rows: 1, part: { kind: "codes" as const, codes: Uint16Array.of(1), labels: [null, "a"], convertedNumbers: false } };
    const converted = { rows: 1, part: { kind: "values" as const, values: ["1", "a"], convertedNumbers: true } };
    expect(joinColumnParts([numbers, codes])).toBeUndefined();
    expect(joinColumnParts([codes, converted])).toBeUndefined();
    expect(joinColumnParts([converted, codes])).toEqual(["1", "a", "a"]);
    expect(joinColumnParts([{ rows: 0, part: numbers.part }, codes])).toEqual({ codes: Uint16Array.of(1), labels: [null, "a"] });
  });

  it("joins label codes into one label table shared by the slices, every missing label as code 0", () => {
    // Slice 1 met "b" before "a" and holds a missing token ("NA": null); slice 2 met "a"
    // first and alone holds "c". Code 0 is an empty cell in both.
    const first = { rows: 5, part: { kind: "codes" as const, codes: Uint16Array.of(1, 2, 0, 3, 1), labels: [null, "b", "a", null], convertedNumbers: false } };
    const second = { rows: 4, part: { kind: "codes" as const, codes: Uint16Array.of(2, 1, 0, 2), labels: [null, "a", "c"], convertedNumbers: false } };
    const joined = joinColumnParts([first, second]);
    expect(joined).toEqual({ codes: Uint16Array.of(1, 2, 0, 0, 1, 3, 2, 0, 3), labels: [null, "b", "a", "c"] });
    expect(Array.from(rawColumn(joined!))).toEqual(["b", "a", null, null, "b", "c", "a", null, "c"]);
    // A slice without rows adds no labels.
    const empty = { rows: 0, part: { kind: "codes" as const, codes: new Uint16Array(0), labels: [null, "z"], convertedNumbers: false } };
    expect(joinColumnParts([first, empty])).toEqual({ codes: Uint16Array.of(1, 2, 0, 0, 1), labels: [null, "b", "a"] });
  });

  it("keeps text columns as codes when a file is read in slices, the labels in each slice's own order", () => {
    // "b" comes first in the first half, "a" in the second; "only" is in the second half
    // alone; empty fields, quoted empty fields and NA are missing.
    const text = "label,other\nb,x\na,\n,x\nNA,y\nb,x\n" + 'a,y\n"",x\nonly,\nb,NA\na,"x"\n';
    const whole = parseCsv(text);
    for (let cut = "label,other\n".length + 1; cut < text.length; cut++) {
      const columns = readInSlices(text, [cut], 7);
      for (const name of whole.columns) {
        const column = columns.get(name)!;
        expect(column instanceof Float64Array || Array.isArray(column), `${name} cut at ${cut}`).toBe(false);
        expect(Array.from(rawColumn(column)), `${name} cut at ${cut}`).toEqual(whole.get(name));
      }
    }
  });
});
