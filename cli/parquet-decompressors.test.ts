import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { PARQUET_DECOMPRESSORS } from "../stats/io/parquet-codecs.ts";
import { readParquet } from "../stats/io/parquet.ts";
import { CliError } from "./cli-error.ts";
import { loadDataset } from "./load-dataset.ts";
import { CLI_DECOMPRESSORS } from "./parquet-decompressors.ts";

const fixture = (codec: string) => fileURLToPath(new URL(`../stats/io/fixtures/codecs-${codec}.parquet`, import.meta.url));
const quiet = () => undefined;

describe("vigil drift's Parquet decompressors", () => {
  it.each(["snappy", "gzip", "brotli", "zstd", "lz4_raw"])("load %s files to the uncompressed file's dataset", async (codec) => {
    const plain = await readParquet(new Uint8Array(readFileSync(fixture("uncompressed"))));
    const data = await loadDataset(fixture(codec), quiet);
    expect(data.columns).toEqual(plain.columns);
    for (const name of plain.columns) expect(data.get(name), name).toEqual(plain.get(name));
  });

  it("refuses an LZO file with a CliError naming the file, column and codec", async () => {
    const error = await loadDataset(fixture("lzo"), quiet).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(
      `${fixture("lzo")}: column "score" is compressed with LZO, which this reader cannot decompress ` +
        "(it reads UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4, LZ4_RAW); rewrite the file with one of those, e.g. ZSTD or SNAPPY",
    );
  });

  it("let vigil drift compare files of different codecs, and exit 2 on LZO", () => {
    const vigil = (...files: string[]) =>
      spawnSync(process.execPath, [fileURLToPath(new URL("./main.ts", import.meta.url)), "drift", ...files, "--json"], { encoding: "utf8" });
    const mixed = vigil(fixture("zstd"), fixture("brotli"));
    expect(mixed.status).toBe(0);
    const report = JSON.parse(mixed.stdout) as { columns: Array<{ column: string; drifted: boolean }> };
    // The same rows on both sides: every column is judged, none has drifted.
    expect(new Set(report.columns.map((row) => row.column))).toEqual(new Set(["score", "count", "big", "ratio", "city", "note", "flag"]));
    expect(report.columns.every((row) => !row.drifted)).toBe(true);
    const refused = vigil(fixture("zstd"), fixture("lzo"));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${fixture("lzo")}: column "score" is compressed with LZO`);
  });

  it("inflate pages of several gzip members, as the Parquet spec asks readers to", () => {
    const first = new TextEncoder().encode("first member, ");
    const second = new TextEncoder().encode("second member");
    const page = new Uint8Array([...gzipSync(first), ...gzipSync(second)]);
    const expected = new Uint8Array([...first, ...second]);
    expect(new Uint8Array(CLI_DECOMPRESSORS.GZIP!(page, expected.length))).toEqual(expected);
    expect(PARQUET_DECOMPRESSORS.GZIP!(page, expected.length)).toEqual(expected);
  });

  it("stop a page that inflates past the size its header gives", () => {
    const page = zstdCompressSync(new Uint8Array(1 << 20));
    expect(() => CLI_DECOMPRESSORS.ZSTD!(page, 1000)).toThrow();
    expect(() => CLI_DECOMPRESSORS.GZIP!(gzipSync(new Uint8Array(1 << 20)), 1000)).toThrow();
  });
});
