// Loads the reference and current files, one after the other or in two worker threads.
// Parallel reading saves up to half the reading time when a second core is free, but
// costs worker start-up, a copy of categorical columns and about 45% more peak memory,
// and on a machine whose cores are already busy it was slower (docs/benchmarks.md,
// "vigil drift CLI"). So it is used only for large inputs on an idle enough machine.
// VIGIL_PARALLEL_READ=always|never overrides the choice.

import { stat } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { type Dataset, formatFromPath } from "../stats/io/dataset.ts";
import { loadDataset } from "./load-dataset.ts";
import { loadDatasetsInParallel } from "./load-in-parallel.ts";

const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

type Datasets<Paths extends readonly string[]> = { -readonly [Index in keyof Paths]: Dataset };

export async function loadDatasets<const Paths extends readonly string[]>(
  paths: Paths,
  writeProgress: (line: string) => void,
  columns?: readonly string[],
): Promise<Datasets<Paths>> {
  if (await readInParallel(paths)) return loadDatasetsInParallel(paths, writeProgress, columns);
  const datasets: Dataset[] = [];
  for (const path of paths) datasets.push(await loadDataset(path, writeProgress, columns));
  return datasets as Datasets<Paths>;
}

async function readInParallel(paths: readonly string[]): Promise<boolean> {
  // Parquet columns decode in a fraction of the time a worker takes to start, and its
  // packed columns keep nulls apart from NaN, which the worker messages do not carry.
  if (paths.some((path) => formatFromPath(path) === "parquet")) return false;
  const setting = process.env.VIGIL_PARALLEL_READ;
  if (setting === "always") return true;
  if (setting === "never") return false;
  const cores = availableParallelism();
  // The one-minute load average counts runnable processes; below cores - 1 a core is free.
  if (cores < 2 || (loadavg()[0] ?? 0) > cores - 1) return false;
  let bytes = 0;
  for (const path of paths) {
    // A file that cannot be stat'ed is reported by the sequential reader.
    bytes += await stat(path).then((info) => info.size, () => Number.NaN);
  }
  return bytes >= PARALLEL_MIN_BYTES;
}
