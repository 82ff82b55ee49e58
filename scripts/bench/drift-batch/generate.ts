// Writes the seeded reference/current CSV pair for the 1M x 20 batch-drift benchmark.
//
//   node scripts/bench/drift-batch/generate.ts <dir> [--rows 1000000]
//
// 15 numerical columns (num_0..num_14) and 5 categorical ones (cat_0..cat_4). Drift in a
// few columns only, so the dataset-level verdict is "no drift" and every default test has
// a real score to compute:
// - num_0, num_5: mean shift of 0.2 sd; num_10: scale x 1.3 (wasserstein sees both);
// - num_14: small integers 0..4 (u <= 5, so its default test is jensenshannon), drifted;
// - cat_0: re-weighted labels; the other categorical columns keep their weights.
// Numbers are written with 4 decimals and no missing cells, so that numpy.loadtxt (the
// baseline; pandas is not installed) reads exactly what vigil reads.

import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { mulberry32, normalFrom } from "../../../stats/testing/rng.ts";

export const NUMERICAL = 15;
export const CATEGORICAL = 5;
const LABELS = ["north", "south", "east", "west", "centre", "online", "partner", "other"];

export function columnNames(): string[] {
  return [...Array.from({ length: NUMERICAL }, (_, i) => `num_${i}`), ...Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`)];
}

function writeFile(path: string, rows: number, seed: number, drifted: boolean): void {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, `${columnNames().join(",")}\n`);
    const cells = new Array<string>(NUMERICAL + CATEGORICAL);
    let chunk: string[] = [];
    for (let row = 0; row < rows; row++) {
      for (let c = 0; c < NUMERICAL - 1; c++) {
        const shift = drifted && c % 5 === 0 && c !== 10 ? 0.2 : 0;
        const scale = (1 + (c % 4)) * (drifted && c === 10 ? 1.3 : 1);
        cells[c] = (10 * c + scale * (normal() + shift)).toFixed(4);
      }
      // Skewed small integers; the current side moves mass toward 4.
      const u = uniform();
      cells[NUMERICAL - 1] = String(Math.floor(5 * u ** (drifted ? 0.8 : 1)));
      for (let c = 0; c < CATEGORICAL; c++) {
        const v = uniform();
        cells[NUMERICAL + c] = LABELS[Math.floor(LABELS.length * v ** (drifted && c === 0 ? 1.25 : 1.5))] as string;
      }
      chunk.push(cells.join(","));
      if (chunk.length === 50_000) {
        writeSync(fd, `${chunk.join("\n")}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join("\n")}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Writes ref.csv (seed 11) and cur.csv (seed 12) into dir; returns their paths. */
export function generate(dir: string, rows: number): { reference: string; current: string } {
  mkdirSync(dir, { recursive: true });
  const reference = join(dir, "ref.csv");
  const current = join(dir, "cur.csv");
  writeFile(reference, rows, 11, false);
  writeFile(current, rows, 12, true);
  return { reference, current };
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error("usage: node scripts/bench/drift-batch/generate.ts <dir> [--rows n]");
  const rowsAt = process.argv.indexOf("--rows");
  const rows = rowsAt > 0 ? Number(process.argv[rowsAt + 1]) : 1_000_000;
  const started = performance.now();
  const paths = generate(dir, rows);
  console.log(`wrote ${paths.reference} and ${paths.current} (${rows} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
