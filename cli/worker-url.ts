// Where a CLI worker thread's module is: beside this code. From source that is the
// TypeScript file; from the start-up bundle (cli/bin/bundle.mjs) it is the bundled
// worker in the same folder, so a bundled CLI starts bundled workers too.
export type WorkerModule = "drift-worker" | "parquet-drift-worker" | "dataset-worker";

const bundled = /\/\.bundle\/[^/]+\.mjs$/.test(import.meta.url);

export function workerUrl(name: WorkerModule): URL {
  return new URL(bundled ? `./${name}.mjs` : `./${name}.ts`, import.meta.url);
}
