import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { parquetReadObjects } from "hyparquet";
import type { AsyncBuffer } from "hyparquet";
import { DatasetError } from "./dataset.ts";
import { readParquet, toRawValue } from "./parquet.ts";
import { PARQUET_DECOMPRESSORS } from "./parquet-codecs.ts";

// codecs-<codec>.parquet: the same 200 rows × 7 columns in three row groups of many small
// DATA_PAGE_V2 pages, one file per codec (scripts/fixtures/gen_parquet_codecs.ts).
const fixture = (codec: string) => new Uint8Array(readFileSync(new URL(`./fixtures/codecs-${codec}.parquet`, import.meta.url)));
const COLUMNS = ["score", "count", "big", "ratio", "city", "note", "flag"];

describe("readParquet codecs", () => {
  it.each(["snappy", "gzip", "brotli", "zstd", "lz4_raw"])("reads %s pages to exactly the uncompressed file's dataset", async (codec) => {
    const plain = await readParquet(fixture("uncompressed"));
    const data = await readParquet(fixture(codec));
    expect(data.columns).toEqual(COLUMNS);
    expect(data.rows).toBe(200);
    for (const name of COLUMNS) {
      expect(data.get(name), name).toEqual(plain.get(name));
      expect(data.numbers(name), name).toEqual(plain.numbers(name));
    }
  });

  it("gives the values hyparquet's general reader assembles, numbers packed and nulls kept apart from NaN", async () => {
    const bytes = fixture("zstd");
    const data = await readParquet(bytes);
    const rows = await parquetReadObjects({ file: bytes.slice().buffer, compressors: PARQUET_DECOMPRESSORS });
    for (const name of COLUMNS) {
      expect(data.get(name), name).toEqual(rows.map((row) => toRawValue(row[name])));
    }
    // INT64 beyond 2^53 rounds as Number(bigint) does (checked above); a sample of them:
    expect(data.get("big").filter((value) => typeof value === "number" && Math.abs(value) > 2 ** 53).length).toBeGreaterThan(10);
    for (const name of ["score", "count", "big", "ratio"]) expect(data.numbers(name), name).toBeInstanceOf(Float64Array);
    for (const name of ["city", "note", "flag"]) expect(data.numbers(name), name).toBeUndefined();
    // Row 3 of score is null: NaN when packed, null as a value.
    expect(data.numbers("score")![3]).toBeNaN();
    expect(data.get("score")[3]).toBeNull();
    expect(data.get("score")[5]).toBe(Number.POSITIVE_INFINITY);
    expect(data.get("city").slice(0, 8)).toContain(null);
    expect(new Set(data.get("city"))).toEqual(new Set(["Oslo", "Lima", "Kraków", "Nairobi", null]));
  });

  it("refuses a codec it cannot decompress with a DatasetError naming the codec and column", async () => {
    const reading = readParquet(fixture("lzo"));
    await expect(reading).rejects.toBeInstanceOf(DatasetError);
    await expect(reading).rejects.toThrow(/^column "score" is compressed with LZO, which this reader cannot decompress \(it reads UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4, LZ4_RAW\)/);
    await expect(readParquet(fixture("lzo"), { columns: ["city"] })).rejects.toThrow(/^column "city" is compressed with LZO/);
  });

  it("reports a damaged compressed page as a DatasetError, not a crash", async () => {
    for (const codec of ["gzip", "brotli", "zstd", "snappy", "lz4_raw"]) {
      const bytes = fixture(codec);
      // Overwrite the middle of the data pages (the footer stays readable).
      bytes.fill(0xa5, 200, bytes.length / 2);
      const error = await readParquet(bytes).then(() => undefined, (caught: unknown) => caught);
      expect(error, codec).toBeInstanceOf(DatasetError);
      expect((error as Error).message, codec).toMatch(/^could not read Parquet data/);
    }
  });

  it("reads only the byte ranges of the wanted columns from a file read by ranges", async () => {
    const bytes = fixture("zstd");
    const slices: Array<[number, number]> = [];
    const file: AsyncBuffer = {
      byteLength: bytes.length,
      slice(start, end = bytes.length) {
        slices.push([start, end]);
        return bytes.slice(start, end).buffer;
      },
    };
    const data = await readParquet(file, { columns: ["city", "score"] });
    expect(data.columns).toEqual(["score", "city"]);
    expect(data.get("city")).toEqual((await readParquet(bytes)).get("city"));
    // The footer fetch (to the end of the file), then one range per wanted column chunk
    // (3 row groups × 2 columns).
    const dataSlices = slices.filter(([, end]) => end < bytes.length);
    expect(dataSlices).toHaveLength(6);
    const read = dataSlices.reduce((total, [start, end]) => total + end - start, 0);
    expect(read).toBeLessThan(bytes.length / 2);
  });
});
