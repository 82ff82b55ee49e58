// The Parquet run over worker threads (parquet-drift-in-workers.ts: columns dealt out,
// each worker reading its own columns from both files) must give the very report a
// single-thread run gives, and leave bad input to the single reader.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../stats/testing/rng.ts";
import { parseDriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { computeReport } from "./drift-command.ts";
import { parquetDriftInWorkers, sharedParquetColumns } from "./parquet-drift-in-workers.ts";

const directory = mkdtempSync(join(tmpdir(), "vigil-parquet-split-"));
const reference = join(directory, "ref.parquet");
const current = join(directory, "cur.parquet");
const LABELS = ["red", "green", "blue", "cyan"];

/** 3,000 rows: drift in b (shift) and c (weights); nulls in a and d; a boolean column (general path). */
function write(path: string, seed: number, drifted: boolean): void {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const rows = 3000;
  const a: Array<number | null> = [];
  const b = new Float64Array(rows);
  const n = new Int32Array(rows);
  const c: string[] = [];
  const d: Array<string | null> = [];
  const flag: boolean[] = [];
  const empty: Array<number | null> = [];
  for (let row = 0; row < rows; row++) {
    a.push(row % 50 === 0 ? null : normal());
    b[row] = normal() + (drifted ? 0.3 : 0);
    n[row] = Math.floor(uniform() * 6);
    c.push(LABELS[Math.floor(LABELS.length * uniform() ** (drifted ? 1.6 : 1))]!);
    d.push(row % 7 === 0 ? null : LABELS[Math.floor(LABELS.length * uniform())]!);
    flag.push(uniform() < 0.5);
    empty.push(null);
  }
  const columns: ColumnSource[] = [
    { name: "a", data: a, type: "DOUBLE", nullable: true },
    { name: "b", data: b, type: "DOUBLE", nullable: true },
    { name: "n", data: n, type: "INT32", nullable: false },
    { name: "c", data: c, type: "STRING", nullable: true },
    { name: "d", data: d, type: "STRING", nullable: true },
    { name: "flag", data: flag, type: "BOOLEAN", nullable: false },
    { name: "empty", data: empty, type: "DOUBLE", nullable: true },
  ];
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData: columns, codec: "SNAPPY", rowGroupSize: 1000 })));
}

beforeAll(() => {
  write(reference, 1, false);
  write(current, 2, true);
  process.env.VIGIL_PARALLEL_DRIFT = "always";
});
afterAll(() => {
  delete process.env.VIGIL_PARALLEL_DRIFT;
  rmSync(directory, { recursive: true, force: true });
});

const quiet = () => undefined;
const options = (...extra: string[]) => parseDriftOptions([reference, current, "--json", ...extra]);

describe("vigil drift on Parquet split over worker threads", () => {
  it("gives the single-thread report, byte for byte, with --test all", async () => {
    const listed = options("--numerical", "a,b,n", "--categorical", "c,d,flag", "--test", "all");
    const split = await parquetDriftInWorkers(listed, quiet);
    expect(split).toBeDefined();
    expect(split!.columns.length).toBeGreaterThan(6);
    expect(JSON.stringify(split)).toBe(JSON.stringify(await computeReport(listed, quiet)));
    expect(split!.columns.some((row) => row.column === "b" && row.drifted)).toBe(true);
  });

  it("keeps the listed order and kinds (a numeric column given as categorical)", async () => {
    const listed = options("--categorical", "n,c", "--numerical", "b");
    const split = await parquetDriftInWorkers(listed, quiet);
    expect(split).toBeDefined();
    expect(split!.columns.map((row) => row.column)).toEqual(["b", "n", "c"]);
    expect(JSON.stringify(split)).toBe(JSON.stringify(await computeReport(listed, quiet)));
  });

  it("leaves an empty column to the single reader, which names it (exit 2)", async () => {
    const all = options();
    expect(await parquetDriftInWorkers(all, quiet)).toBeUndefined();
    await expect(computeReport(all, quiet)).rejects.toThrow(CliError);
    await expect(computeReport(all, quiet)).rejects.toThrow(/column "empty" is empty \(every value is missing\)/);
  });

  it("reads only the columns both files share when none is listed", async () => {
    const other = join(directory, "other.parquet");
    const b = Float64Array.from({ length: 500 }, (_, row) => Math.cos(row));
    const columns: ColumnSource[] = [
      { name: "zzz", data: Array.from({ length: 500 }, () => "x"), type: "STRING", nullable: false },
      { name: "b", data: b, type: "DOUBLE", nullable: false },
    ];
    writeFileSync(other, new Uint8Array(parquetWriteBuffer({ columnData: columns })));
    expect(await sharedParquetColumns(reference, current)).toEqual(["a", "b", "n", "c", "d", "flag", "empty"]);
    expect(await sharedParquetColumns(reference, other)).toEqual(["b"]);
    expect(await sharedParquetColumns(reference, join(directory, "missing.parquet"))).toBeUndefined();
    // "empty" (all null) is not shared, so it is neither read nor reported.
    const report = await computeReport(parseDriftOptions([reference, other, "--json"]), quiet);
    expect(report.columns.map((row) => row.column)).toEqual(["b"]);
  });

  it("runs on one thread below its size threshold, or when the inputs are not both Parquet", async () => {
    delete process.env.VIGIL_PARALLEL_DRIFT;
    try {
      expect(await parquetDriftInWorkers(options("--numerical", "a,b"), quiet)).toBeUndefined();
    } finally {
      process.env.VIGIL_PARALLEL_DRIFT = "always";
    }
    expect(await parquetDriftInWorkers({ ...options("--numerical", "a,b"), current: join(directory, "cur.csv") }, quiet)).toBeUndefined();
  });
});
