// What `vigil drift` loads on its main thread before it starts reading: the modules of
// other commands and inputs (the import command's HTTP client, Parquet's reader and
// codecs, the HTML report, the multivariate and embedding sections) load only when a run
// needs them, so that the CSV path's workers start sooner (docs/benchmarks.md).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

// Prints every module URL the main thread loads, one per line on stderr.
const LOG_LOADS = `data:text/javascript,${encodeURIComponent(
  'import { registerHooks } from "node:module"; registerHooks({ load(url, context, next) { process.stderr.write("LOADED " + url + "\\n"); return next(url, context); } });',
)}`;

function loadedBy(args: string[]): string[] {
  const result = spawnSync(process.execPath, ["--import", LOG_LOADS, join(root, "cli/main.ts"), "drift", ...args, "--json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VIGIL_PARALLEL_DRIFT: "never", VIGIL_PARALLEL_READ: "never" },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stderr
    .split("\n")
    .filter((line) => line.startsWith("LOADED file:"))
    .map((line) => line.slice("LOADED file://".length).replace(root, ""));
}

describe("vigil drift's start-up", () => {
  it("loads neither Parquet, the HTTP client nor the optional sections for CSV input", () => {
    const loaded = loadedBy(["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv")]);
    expect(loaded).toContain("/cli/drift-command.ts");
    expect(loaded.filter((path) => /hyparquet|fzstd|hysnappy|parquet|clients\/typescript|html-report|drift-sections|multivariate|embeddings/.test(path))).toEqual([]);
  });

  it("loads Parquet's modules for Parquet input, and a section's when it is asked for", () => {
    const parquet = loadedBy(["--reference", fixture("small_ref.parquet"), "--current", fixture("small_cur.parquet")]);
    expect(parquet.some((path) => path.includes("/node_modules/hyparquet/"))).toBe(true);
    const multivariate = loadedBy(["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv"), "--multivariate"]);
    expect(multivariate).toContain("/cli/drift-sections.ts");
  });
});
