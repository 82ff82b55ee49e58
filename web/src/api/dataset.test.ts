import { describe, expect, it } from "vitest";
import { DatasetError, parseCsv, readRows } from "./dataset.ts";

describe("readRows", () => {
  it("reads CSV with quotes, numbers and empty cells", () => {
    expect(readRows('income,region,note\r\n52000,north,"a, ""b"""\n,south,\n', "ref.csv")).toEqual([
      { income: 52000, region: "north", note: 'a, "b"' },
      { income: null, region: "south", note: null },
    ]);
  });
  it("reads JSON Lines and JSON arrays", () => {
    expect(readRows('{"a":1}\n\n{"a":2}\n', "ref.jsonl")).toEqual([{ a: 1 }, { a: 2 }]);
    expect(readRows('[{"a":1},{"a":"x"}]', "ref.json")).toEqual([{ a: 1 }, { a: "x" }]);
  });
  it("names the bad row", () => {
    expect(() => readRows("a,b\n1\n", "r.csv")).toThrow(new DatasetError("CSV row 2 has 1 fields, the header has 2"));
    expect(() => readRows('{"a":1}\nnope\n', "r.jsonl")).toThrow("line 2 is not JSON");
    expect(() => readRows("[1]", "r.json")).toThrow("row 1 is not an object");
  });
  it("keeps a quoted newline inside its field", () => {
    expect(parseCsv('a,b\n"x\ny",2')).toEqual([["a", "b"], ["x\ny", "2"]]);
  });
});
