import { describe, it, expect } from "vitest";
import { countPresent, datasetFromColumns, formatFromPath, inferKind, isMissing } from "./dataset.ts";

describe("formatFromPath", () => {
  it.each([
    ["data/ref.csv", "csv"],
    ["REF.CSV", "csv"],
    ["x.jsonl", "jsonl"],
    ["x.ndjson", "jsonl"],
    ["x.json", "json"],
    ["x.parquet", "parquet"],
    ["x.tsv", undefined],
    ["csv", undefined],
  ])("%s -> %s", (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });
});

describe("inferKind and missing values", () => {
  it("is numerical only when every present value is a number", () => {
    expect(inferKind([1, Number.NaN, null, Infinity])).toBe("numerical");
    expect(inferKind([1, "2"])).toBe("categorical");
    expect(inferKind([true, false])).toBe("categorical");
    expect(inferKind([null, Number.NaN])).toBe("categorical");
  });

  it("counts values that survive cleaning", () => {
    expect(countPresent([1, null, undefined, Number.NaN, Infinity, -Infinity, "a", 0])).toBe(3);
    expect(isMissing("")).toBe(false);
  });
});

describe("datasetFromColumns", () => {
  it("rejects ragged columns and unknown names", () => {
    expect(() => datasetFromColumns(new Map([["a", [1]], ["b", [1, 2]]]))).toThrow('column "b" has 2 values');
    const data = datasetFromColumns(new Map([["a", [1, 2]]]));
    expect(data.rows).toBe(2);
    expect(data.has("a")).toBe(true);
    expect(() => data.get("z")).toThrow('unknown column "z"');
  });
});
