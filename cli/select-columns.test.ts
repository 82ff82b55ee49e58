import { describe, it, expect } from "vitest";
import { selectColumns, type NamedDataset } from "./select-columns.ts";
import { parseCsv } from "../stats/io/csv.ts";
import { parseJsonLines } from "../stats/io/jsonl.ts";
import { CliError } from "./cli-error.ts";

const ref: NamedDataset = { path: "ref.csv", data: parseCsv("a,b,c,only_ref\n1,x,1,0\n2,y,2,0\n") };
const cur: NamedDataset = { path: "cur.csv", data: parseCsv("c,b,a\n3,z,\nq,w,5\n") };

describe("selectColumns", () => {
  it("takes the shared columns in reference order and infers kinds from both files", () => {
    const columns = selectColumns(ref, cur, [], []);
    expect(columns.map(({ name, kind }) => [name, kind])).toEqual([
      ["a", "numerical"],
      ["b", "categorical"],
      ["c", "categorical"], // "q" in the current file
    ]);
    // A CSV's numeric column reaches the tests as the reader's packed doubles, uncopied.
    expect(columns[0]?.reference).toEqual(Float64Array.of(1, 2));
    expect(columns[0]?.reference).toBe(ref.data.numbers("a"));
    // A text column reaches them as the reader's label codes, not one string per row.
    expect(columns[1]?.reference).toBe(ref.data.codedLabels("b"));
    expect(columns[1]?.reference).toEqual({ codes: Uint16Array.of(1, 2), labels: [null, "x", "y"] });
    // One that turned to text after a number keeps a value per row (the number's spelling).
    expect(columns[2]?.current).toEqual(["3", "q"]);
  });

  it("infers a packed column with only missing cells as categorical, then reports it empty", () => {
    const blank: NamedDataset = { path: "blank.csv", data: parseCsv("a,b\n,1\nNA,2\n") };
    expect(blank.data.numbers("a")).toBeInstanceOf(Float64Array);
    expect(() => selectColumns(blank, cur, [], [])).toThrow(new CliError('blank.csv: column "a" is empty (every value is missing)'));
  });

  it("treats a column of only ±inf as present numbers that cleaning drops", () => {
    const infinite: NamedDataset = { path: "inf.csv", data: parseCsv("a\ninf\n-inf\n") };
    expect(() => selectColumns(infinite, cur, [], [])).toThrow(new CliError('inf.csv: column "a" is empty (every value is missing)'));
  });

  it("takes exactly the listed columns with the given kinds", () => {
    const columns = selectColumns(ref, cur, [], ["a"]);
    expect(columns.map(({ name, kind }) => [name, kind])).toEqual([["a", "categorical"]]);
  });

  it("names the file and column when a listed column is missing", () => {
    expect(() => selectColumns(ref, cur, ["only_ref"], [])).toThrow(
      new CliError('cur.csv: no column "only_ref" (it has columns "c", "b", "a")'),
    );
  });

  it("names the file and column of an empty column", () => {
    const empty: NamedDataset = { path: "cur.csv", data: parseCsv("a\n\nNA\ninf\n") };
    expect(() => selectColumns(ref, empty, ["a"], [])).toThrow(
      new CliError('cur.csv: column "a" is empty (every value is missing)'),
    );
    const noRows: NamedDataset = { path: "cur.csv", data: parseCsv("a,b\n") };
    expect(() => selectColumns(ref, noRows, [], [])).toThrow('cur.csv: column "a" is empty (the file has no rows)');
  });

  it("reads numeric text in a column given as numerical, and names the row of anything else", () => {
    const json: NamedDataset = { path: "cur.jsonl", data: parseJsonLines('{"a":"1.5"}\n{"a":2}\n{"a":"x"}\n') };
    expect(() => selectColumns(ref, json, ["a"], [])).toThrow(
      'cur.jsonl: column "a" is given as numerical but row 3 holds "x"',
    );
    const ok: NamedDataset = { path: "cur.jsonl", data: parseJsonLines('{"a":"1.5"}\n{"a":2}\n') };
    expect(selectColumns(ref, ok, ["a"], [])[0]?.current).toEqual([1.5, 2]);
  });

  it("reports files with no shared column", () => {
    const other: NamedDataset = { path: "other.csv", data: parseCsv("z\n1\n") };
    expect(() => selectColumns(ref, other, [], [])).toThrow("ref.csv and other.csv have no column in common");
  });
});
