import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/rng.ts";
import { cleanColumn } from "./clean.ts";
import { allLabelsMissing, decodeLabels, tallyCodes } from "./coded-labels.ts";
import { categoryCounts } from "./distinct.ts";
import { computeDrift } from "./report.ts";
import { DRIFT_TESTS } from "./registry.ts";
import type { CodedLabels } from "./types.ts";

describe("tallyCodes", () => {
  it("counts each present label once, in the order of its first row", () => {
    // Code 3 is unused; codes 0 and 4 are missing (null, ""); codes 2 and 5 share a label.
    const coded: CodedLabels = { codes: Uint16Array.of(2, 1, 0, 2, 4, 5, 1, 1), labels: [null, "b", "a", "unused", "", "a"] };
    const tally = tallyCodes(coded);
    expect(tally.labels).toEqual(["a", "b"]);
    expect(Array.from(tally.counts)).toEqual([3, 3]);
    expect(tally.size).toBe(6);
  });

  it("gives an empty tally for a column with no present label", () => {
    const coded: CodedLabels = { codes: Uint16Array.of(0, 1, 0), labels: [null, null] };
    expect(tallyCodes(coded)).toEqual({ labels: [], counts: new Float64Array(0), size: 0 });
    expect(allLabelsMissing(coded)).toBe(true);
    expect(allLabelsMissing({ codes: Uint16Array.of(0, 1), labels: [null, "x"] })).toBe(false);
  });
});

/** A random coded column: `labels` shuffled into a table of its own, some rows missing. */
function randomCoded(random: () => number, labels: readonly string[], rows: number, weights: readonly number[]): CodedLabels {
  const table: Array<string | null> = [null, ...labels.slice().sort(() => random() - 0.5), null];
  const total = weights.reduce((a, b) => a + b, 0);
  const codes = new Uint16Array(rows);
  for (let row = 0; row < rows; row++) {
    if (random() < 0.05) {
      codes[row] = random() < 0.5 ? 0 : table.length - 1; // an empty cell or a missing token
      continue;
    }
    let pick = random() * total;
    let index = 0;
    while (index < weights.length - 1 && pick >= (weights[index] as number)) pick -= weights[index++] as number;
    codes[row] = table.indexOf(labels[index] as string);
  }
  return { codes, labels: table };
}

describe("categorical tests on label codes", () => {
  it("count the same keys in the same order as one string per row", () => {
    const random = mulberry32(7);
    const reference = randomCoded(random, ["x", "y", "z"], 500, [5, 3, 1]);
    const current = randomCoded(random, ["y", "z", "w"], 400, [1, 3, 5]); // "w" only in current, "x" only in reference
    const fromCodes = categoryCounts(cleanColumn(reference, "categorical", "c", "reference"), cleanColumn(current, "categorical", "c", "current"));
    const fromStrings = categoryCounts(
      cleanColumn(decodeLabels(reference), "categorical", "c", "reference"),
      cleanColumn(decodeLabels(current), "categorical", "c", "current"),
    );
    expect(fromCodes).toEqual(fromStrings);
    expect(fromCodes.keys).toContain("w");
  });

  it("score every test bit for bit as the decoded strings do", () => {
    const random = mulberry32(22);
    for (const [labels, rows] of [
      [["a", "b"], 3000],
      [["a", "b"], 40],
      [["p", "q", "r", "s", "t"], 5000],
    ] as const) {
      const reference = randomCoded(random, labels, rows, labels.map((_, i) => i + 1));
      const current = randomCoded(random, labels, rows, labels.map((_, i) => labels.length - i));
      const request = (coded: boolean) => ({
        reference: new Map([["c", coded ? reference : decodeLabels(reference)]]),
        current: new Map([["c", coded ? current : decodeLabels(current)]]),
        columns: [{ name: "c", kind: "categorical" as const }],
        tests: "all" as const,
      });
      const fromCodes = computeDrift(request(true));
      const fromStrings = computeDrift(request(false));
      expect(fromCodes.columns.length).toBeGreaterThan(5);
      expect(JSON.stringify(fromCodes)).toBe(JSON.stringify(fromStrings));
    }
    expect(DRIFT_TESTS.filter((test) => test.kinds.includes("categorical")).length).toBeGreaterThan(5);
  });

  it("read a coded column given as numerical through its labels, as strings are", () => {
    const coded: CodedLabels = { codes: Uint16Array.of(1, 2, 0), labels: [null, "1.5", "x"] };
    expect(() => computeDrift({ reference: new Map([["n", coded]]), current: new Map([["n", coded]]), columns: [{ name: "n", kind: "numerical" }] })).toThrow(
      'column "n" in reference is numerical but holds the non-numeric value "x"',
    );
  });

  it("refuses a coded column with no present label, naming it", () => {
    const empty: CodedLabels = { codes: Uint16Array.of(0, 0), labels: [null] };
    const full: CodedLabels = { codes: Uint16Array.of(1), labels: [null, "a"] };
    expect(() => computeDrift({ reference: new Map([["c", full]]), current: new Map([["c", empty]]), columns: [{ name: "c", kind: "categorical" }] })).toThrow(
      'column "c" is empty after cleaning in current',
    );
  });
});
