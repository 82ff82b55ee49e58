// `vigil drift --multivariate`: the report's multivariate section, through the real
// command on CSV files, equals the numpy reference (stats/multivariate/fixtures, written by
// scripts/fixtures/gen_multivariate.py), in the JSON and in the table.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const fixture = JSON.parse(readFileSync(join(root, "stats/multivariate/fixtures/multivariate.json"), "utf8")) as {
  cases: Array<{
    name: string;
    columns: Array<{ name: string }>;
    reference: Record<string, Array<number | string | null>>;
    current: Record<string, Array<number | string | null>>;
    expected: { reconstruction: { error: number; upper: number; drifted: boolean }; domain_classifier: { auc: number; drifted: boolean } };
  }>;
};

function csv(columns: string[], side: Record<string, Array<number | string | null>>): string {
  const rows = side[columns[0]!]!.length;
  const lines = [columns.join(",")];
  for (let row = 0; row < rows; row++) lines.push(columns.map((name) => String(side[name]![row] ?? "")).join(","));
  return `${lines.join("\n")}\n`;
}

function vigil(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), "drift", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, VIGIL_PARALLEL_DRIFT: "always" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("vigil drift --multivariate", () => {
  const flip = fixture.cases.find((testCase) => testCase.name === "correlation_flip")!;
  const names = flip.columns.map((column) => column.name);
  const directory = mkdtempSync(join(tmpdir(), "vigil-multivariate-"));
  const reference = join(directory, "ref.csv");
  const current = join(directory, "cur.csv");
  writeFileSync(reference, csv(names, flip.reference));
  writeFileSync(current, csv(names, flip.current));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("adds the multivariate section, equal to the reference, while no column drifts alone", () => {
    const { code, stdout, stderr } = vigil(["--reference", reference, "--current", current, "--json", "--multivariate"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.dataset.number_of_drifted_columns).toBe(0);
    expect(Object.keys(report.multivariate).sort()).toEqual(["domain_classifier", "reconstruction"]);
    expect(report.multivariate.domain_classifier.auc).toBeCloseTo(flip.expected.domain_classifier.auc, 9);
    expect(report.multivariate.domain_classifier.drifted).toBe(true);
    expect(Object.keys(report.multivariate.domain_classifier)).toEqual(expect.arrayContaining(["auc", "ci95", "drifted", "top_features"]));
    expect(report.multivariate.reconstruction.error).toBeCloseTo(flip.expected.reconstruction.error, 9);
    expect(Object.keys(report.multivariate.reconstruction)).toEqual(expect.arrayContaining(["error", "lower", "upper", "drifted"]));
    expect(report.multivariate.reconstruction.drifted).toBe(true);
  });

  it("prints it under the table, and leaves it out without the flag", () => {
    const table = vigil(["--reference", reference, "--current", current, "--multivariate"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Multivariate drift:\n {2}domain classifier {3}AUC 0\.\d+ \(95% CI .*\), drifted: yes/);
    expect(table.stdout).toMatch(/reconstruction {6}error [\d.]+ \(expected .*\), drifted: yes/);
    const plain = vigil(["--reference", reference, "--current", current, "--json"]);
    expect(JSON.parse(plain.stdout).multivariate).toBeUndefined();
  });

  it("refuses a reference too small for its chunks with exit 2 and a reason", () => {
    const tiny = join(directory, "tiny.csv");
    writeFileSync(tiny, "x,y\n1,2\n2,3\n3,5\n4,4\n5,6\n6,8\n7,7\n8,9\n9,12\n10,10\n11,13\n12,11\n");
    const result = vigil(["--reference", tiny, "--current", tiny, "--multivariate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^vigil: --multivariate: the domain classifier needs at least 10 rows on each side|^vigil: --multivariate: the reconstruction error needs at least 20 reference rows/);
  });
});
