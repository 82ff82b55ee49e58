// The run over worker threads (drift-in-workers.ts: each file cut into row slices, each
// worker reading one slice of each and judging its share of the columns) must give the very
// report a single-thread run gives: same scores, same order, same errors.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

function vigil(args: string[], split: "always" | "never"): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), "drift", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VIGIL_PARALLEL_DRIFT: split, VIGIL_PARALLEL_READ: "never" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const directories: string[] = [];
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

/** Writes a CSV of `rows` records, each from `row(index)`, and returns its path. */
function csvFile(name: string, header: string, rows: number, row: (index: number) => string): string {
  const directory = mkdtempSync(join(tmpdir(), "vigil-split-"));
  directories.push(directory);
  const lines = [header];
  for (let index = 0; index < rows; index += 1) lines.push(row(index));
  const path = join(directory, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("vigil drift split over worker threads", () => {
  it("gives the single-thread report, byte for byte, with --test all", () => {
    const args = ["--reference", fixture("large_ref.csv"), "--current", fixture("large_cur.csv"), "--test", "all", "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(single.code).toBe(0);
    expect(split.code).toBe(0);
    expect(JSON.parse(split.stdout).columns.length).toBeGreaterThan(4);
    expect(split.stdout).toBe(single.stdout);
  });

  it("keeps listed columns and their kinds, in the listed order", () => {
    const args = ["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv"), "--numerical", "temp,wind", "--categorical", "city", "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(split.code).toBe(0);
    expect(split.stdout).toBe(single.stdout);
  });

  it("reports a missing listed column as bad input (exit 2), naming it", () => {
    const args = ["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv"), "--numerical", "temp,nosuch"];
    const split = vigil(args, "always");
    expect(split.code).toBe(2);
    expect(split.stderr).toContain('"nosuch"');
    expect(split.stderr).toBe(vigil(args, "never").stderr);
  });

  it("reads quoted fields with line breaks and commas across the slice edges", () => {
    // Every third record carries a multi-line quoted note, so cuts land near them.
    const row = (shift: number) => (index: number) => {
      const note = index % 3 === 0 ? `"line one, ""quoted""\nline ${index % 7}"` : `plain ${index % 5}`;
      return `${((index * 7919) % 1000) / 10 + shift},${note},${["a", "b", "c"][index % 3]}`;
    };
    const reference = csvFile("ref.csv", "x,note,label", 3000, row(0));
    const current = csvFile("cur.csv", "x,note,label", 2500, row(3));
    const args = ["--reference", reference, "--current", current, "--test", "all", "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(single.code).toBe(0);
    expect([...new Set(JSON.parse(single.stdout).columns.map((entry: { column: string }) => entry.column))]).toEqual(["x", "note", "label"]);
    expect(split.stdout).toBe(single.stdout);
  });

  it("reads a column that turns from numbers to text in a later slice as one reader does", () => {
    // Numbers until the last rows, then words: the first slices see a numeric column.
    const rows = 4000;
    const reference = csvFile("ref.csv", "mixed,y", rows, (index) => `${index >= rows - 5 ? "n/a-" + index : index % 97},${index % 13}`);
    const current = csvFile("cur.csv", "mixed,y", rows, (index) => `${index % 89},${index % 11}`);
    const args = ["--reference", reference, "--current", current, "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(single.code).toBe(0);
    expect(split.stdout).toBe(single.stdout);
  });

  it("names the bad record in a later slice exactly as one reader of the whole file does", () => {
    const rows = 4000;
    const reference = csvFile("ref.csv", "x,y", rows, (index) => (index === rows - 10 ? `${index},1,extra` : `${index % 50},${index % 7}`));
    const current = csvFile("cur.csv", "x,y", rows, (index) => `${index % 40},${index % 7}`);
    const args = ["--reference", reference, "--current", current];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(single.stderr).toContain("row 3991 (line 3992)");
    expect(single.code).toBe(2);
    expect(split.code).toBe(2);
    expect(split.stderr).toBe(single.stderr);
  });
});
