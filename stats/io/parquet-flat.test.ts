// The fast path (parquet-flat.ts) against hyparquet's general assembly on random tables:
// nulls at every rate (none, some, all), pages cut anywhere, several row groups, dictionary
// and PLAIN pages, every numeric physical type. The values must be the same, cell by cell.

import { describe, it, expect } from "vitest";
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { mulberry32 } from "../testing/rng.ts";
import { readParquet, toRawValue } from "./parquet.ts";

function randomTable(seed: number): { columns: ColumnSource[]; rows: number; pageSize: number; rowGroupSize: number } {
  const random = mulberry32(seed);
  const rows = 1 + Math.floor(random() * 3000);
  const nullRate = [0, 0.02, 0.5, 1][seed % 4]!;
  const maybeNull = <T>(value: T): T | null => (random() < nullRate ? null : value);
  const labels = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, index) => `label ${index} ${"é".repeat(index % 3)}`);
  const columns: ColumnSource[] = [
    { name: "double", data: Array.from({ length: rows }, () => maybeNull((random() - 0.5) * 1e6)), type: "DOUBLE", nullable: true },
    { name: "few_doubles", data: Array.from({ length: rows }, () => maybeNull(Math.floor(random() * 5) / 4)), type: "DOUBLE", nullable: true },
    { name: "int32", data: Array.from({ length: rows }, () => maybeNull(Math.floor((random() - 0.5) * 2 ** 32))), type: "INT32", nullable: true },
    { name: "int64", data: Array.from({ length: rows }, () => maybeNull(BigInt(Math.floor((random() - 0.5) * 2 ** 50)) * 4099n)), type: "INT64", nullable: true },
    { name: "float", data: Float32Array.from({ length: rows }, () => random() * 10), type: "FLOAT", nullable: false },
    { name: "label", data: Array.from({ length: rows }, () => maybeNull(labels[Math.floor(random() * labels.length)]!)), type: "STRING", nullable: true },
    { name: "text", data: Array.from({ length: rows }, (_, row) => maybeNull(`${row}-${random().toString(36)}`)), type: "STRING", nullable: true },
    { name: "plain_label", data: Array.from({ length: rows }, () => labels[Math.floor(random() * labels.length)]!), type: "STRING", nullable: false, encoding: "PLAIN" },
  ];
  return { columns, rows, pageSize: 32 + Math.floor(random() * 4096), rowGroupSize: 1 + Math.floor(random() * rows) };
}

describe("Parquet fast path", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("reads random table %i as hyparquet's general reader does", async (seed) => {
    const { columns, rows, pageSize, rowGroupSize } = randomTable(seed);
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData: columns, codec: seed % 2 === 0 ? "SNAPPY" : "UNCOMPRESSED", pageSize, rowGroupSize }));
    const data = await readParquet(bytes);
    const expected = await parquetReadObjects({ file: bytes.slice().buffer });
    expect(data.rows).toBe(rows);
    for (const { name } of columns) {
      expect(data.get(name), name).toEqual(expected.map((row) => toRawValue(row[name])));
    }
    for (const name of ["double", "few_doubles", "int32", "int64", "float"]) expect(data.numbers(name), name).toBeInstanceOf(Float64Array);
  });
});
