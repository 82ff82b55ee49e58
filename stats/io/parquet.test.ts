import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { readParquet, toRawValue } from "./parquet.ts";
import { inferKind } from "./dataset.ts";

// small.parquet: 5 rows in two row groups, v1 pages, written by scripts/fixtures/gen_parquet_fixture.py.
const bytes = new Uint8Array(readFileSync(new URL("./fixtures/small.parquet", import.meta.url)));

describe("readParquet", () => {
  it("reads every column type across row groups", async () => {
    const data = await readParquet(bytes);
    expect(data.columns).toEqual(["id", "big", "score", "ratio", "city", "name", "flag"]);
    expect(data.rows).toBe(5);
    expect(data.get("id")).toEqual([1, 2, 3, 4, 5]);
    expect(data.get("big")).toEqual([1, null, 2 ** 53 + 2, -3, 4]);
    expect(data.get("score")).toEqual([0.5, null, -1.25, Infinity, 3]);
    expect(data.get("ratio")).toEqual([0.25, 1.5, -2, Math.fround(0.1), 8]);
    expect(data.get("city")).toEqual(["Oslo", "Lima", null, "Oslo", "Lima"]);
    expect(data.get("name")).toEqual(["a", "b, c", 'quote "q"', "", "é"]);
    expect(data.get("flag")).toEqual([true, false, null, true, true]);
  });

  it("keeps string columns as label codes (null as code 0), as the CSV reader keeps text columns", async () => {
    const data = await readParquet(bytes);
    const city = data.codedLabels("city");
    expect(city).toBeDefined();
    expect(Array.from(city!.codes, (code) => city!.labels[code])).toEqual(["Oslo", "Lima", null, "Oslo", "Lima"]);
    expect(city!.labels[0]).toBeNull();
    expect(new Set(city!.labels).size).toBe(city!.labels.length); // each string once
    expect(data.codedLabels("name")).toBeDefined();
  });

  it("infers numerical for number columns and categorical for the rest", async () => {
    const data = await readParquet(bytes);
    expect(data.columns.map((name) => inferKind(data.get(name)))).toEqual([
      "numerical",
      "numerical",
      "numerical",
      "numerical",
      "categorical",
      "categorical",
      "categorical",
    ]);
  });

  it("reports progress up to every cell", async () => {
    const seen: number[] = [];
    await readParquet(bytes, { onProgress: (cells) => seen.push(cells) });
    expect(seen.at(-1)).toBe(35);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it("rejects bytes that are not Parquet", async () => {
    await expect(readParquet(new TextEncoder().encode("a,b\n1,2\n"))).rejects.toThrow(/^not a readable Parquet file/);
    const truncated = bytes.slice(0, 600);
    await expect(readParquet(truncated)).rejects.toThrow(/Parquet/);
  });

  it("reads v1 data pages compressed with GZIP (levels and values compressed together)", async () => {
    // small-gzip.parquet: the same table, every page GZIP (gen_parquet_fixture.py).
    const gzipped = new Uint8Array(readFileSync(new URL("./fixtures/small-gzip.parquet", import.meta.url)));
    const plain = await readParquet(bytes);
    const data = await readParquet(gzipped);
    expect(data.columns).toEqual(plain.columns);
    for (const name of plain.columns) expect(data.get(name), name).toEqual(plain.get(name));
    expect(data.numbers("score")).toBeInstanceOf(Float64Array);
  });

  it("reads a Parquet view that does not start at offset 0", async () => {
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 7);
    const data = await readParquet(padded.subarray(7));
    expect(data.get("id")).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("toRawValue", () => {
  it("maps rich Parquet values to numbers or categories", () => {
    expect(toRawValue(12n)).toBe(12);
    expect(toRawValue(new Date(Date.UTC(2024, 0, 2)))).toBe("2024-01-02T00:00:00.000Z");
    expect(toRawValue(new Uint8Array([0, 255]))).toBe("00ff");
    expect(toRawValue({ a: [1n, 2] })).toBe('{"a":[1,2]}');
    expect(toRawValue(undefined)).toBeNull();
  });
});
