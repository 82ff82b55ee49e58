// ReadOptions.columns: every reader keeps only the listed columns, and names the
// columns it has when a listed one is missing.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { parseCsv } from "./csv.ts";
import { parseJsonArray } from "./json-array.ts";
import { parseJsonLines } from "./jsonl.ts";
import { readParquet } from "./parquet.ts";

describe("the columns option", () => {
  it("CSV keeps the listed columns, even past quoted and malformed-looking skipped cells", () => {
    const data = parseCsv('a,b,c\n1,"x,y",3\n4,z,6\n', { columns: ["c", "a"] });
    expect(data.columns).toEqual(["a", "c"]);
    expect(data.get("a")).toEqual([1, 4]);
    expect(data.get("c")).toEqual([3, 6]);
    expect(data.has("b")).toBe(false);
    // Field counts are still checked on skipped columns.
    expect(() => parseCsv("a,b\n1\n", { columns: ["a"] })).toThrow("row 1 (line 2): expected 2 fields, found 1");
  });

  it("JSON Lines and JSON arrays keep the listed keys", () => {
    const lines = parseJsonLines('{"a":1,"b":"x"}\n{"b":"y","c":2}\n', { columns: ["b"] });
    expect(lines.columns).toEqual(["b"]);
    expect(lines.get("b")).toEqual(["x", "y"]);
    const array = parseJsonArray('[{"a":1,"b":"x"},{"c":2}]', { columns: ["a", "c"] });
    expect(array.columns).toEqual(["a", "c"]);
    expect(array.get("c").slice(1)).toEqual([2]);
  });

  it("Parquet reads only the listed columns", async () => {
    const bytes = new Uint8Array(readFileSync(new URL("./fixtures/small.parquet", import.meta.url)));
    const data = await readParquet(bytes, { columns: ["city", "id"] });
    expect(data.columns).toEqual(["id", "city"]);
    expect(data.get("city")).toEqual(["Oslo", "Lima", null, "Oslo", "Lima"]);
  });

  it("names the missing column and the columns there are", async () => {
    expect(() => parseCsv("a,b\n1,2\n", { columns: ["z"] })).toThrow('no column "z" (it has columns "a", "b")');
    expect(() => parseJsonLines('{"a":1}\n', { columns: ["z"] })).toThrow('no column "z" (it has columns "a")');
    const bytes = new Uint8Array(readFileSync(new URL("./fixtures/small.parquet", import.meta.url)));
    await expect(readParquet(bytes, { columns: ["z"] })).rejects.toThrow(
      'no column "z" (it has columns "id", "big", "score", "ratio", "city", "name", "flag")',
    );
  });
});
