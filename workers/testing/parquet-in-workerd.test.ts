// stats/io's Parquet reader runs in workerd as it does in Node, compressed files included.
// Its decompressors (stats/io/parquet-codecs.ts) are imported from hyparquet-compressors by
// file, because that package's root module compiles WebAssembly from bytes when imported,
// which workerd refuses ("Wasm code generation disallowed by embedder"): this test fails if
// anything on that import path starts doing so. The files are written here with
// hyparquet-writer and workerd's node:zlib (nodejs_compat).

import * as zlib from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { readParquet } from "../../stats/io/parquet.ts";

type Compressor = (input: Uint8Array) => Uint8Array;

function columns(): ColumnSource[] {
  const rows = 500;
  return [
    { name: "score", data: Array.from({ length: rows }, (_, row) => (row % 9 === 0 ? null : Math.sin(row) * 100)), type: "DOUBLE", nullable: true },
    { name: "count", data: Int32Array.from({ length: rows }, (_, row) => (row * 37) % 101), type: "INT32", nullable: false },
    { name: "city", data: Array.from({ length: rows }, (_, row) => (row % 11 === 0 ? null : ["Oslo", "Lima", "Kraków"][row % 3]!)), type: "STRING", nullable: true },
  ];
}

function write(codec: "UNCOMPRESSED" | "GZIP" | "BROTLI" | "ZSTD", compress?: Compressor): Uint8Array {
  const compressors = compress === undefined ? {} : { [codec]: compress };
  return new Uint8Array(parquetWriteBuffer({ columnData: columns(), codec, compressors, rowGroupSize: 200, pageSize: 512 }));
}

const encoders: Array<["GZIP" | "BROTLI" | "ZSTD", Compressor | undefined]> = [
  ["GZIP", (input) => zlib.gzipSync(input)],
  ["BROTLI", (input) => zlib.brotliCompressSync(input)],
  // workerd's node:zlib may not have Zstandard; then that case is written but not run.
  ["ZSTD", zlib.zstdCompressSync],
];

describe("the Parquet reader in workerd", () => {
  it.each(encoders.filter(([, encode]) => encode !== undefined))("reads %s pages to the uncompressed file's dataset", async (codec, encode) => {
    const plain = await readParquet(write("UNCOMPRESSED"));
    const data = await readParquet(write(codec, encode));
    expect(data.rows).toBe(500);
    expect(data.numbers("score")).toBeInstanceOf(Float64Array);
    for (const name of plain.columns) expect(data.get(name), name).toEqual(plain.get(name));
  });
});
