import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { combineReports, computeDrift, DriftInputError } from "./report.ts";
import { sortedOf } from "./sorted.ts";
import type { DriftRequest, RawValue } from "./types.ts";

function normals(seed: number, n: number, shift = 0): number[] {
  const next = normalFrom(mulberry32(seed));
  return Array.from({ length: n }, () => next() + shift);
}

function request(ref: Record<string, RawValue[]>, cur: Record<string, RawValue[]>, extra: Partial<DriftRequest> = {}): DriftRequest {
  return {
    reference: new Map(Object.entries(ref)),
    current: new Map(Object.entries(cur)),
    columns: Object.keys(ref).map((name) => ({
      name,
      kind: typeof ref[name]!.find((v) => v !== null) === "number" ? "numerical" : "categorical",
    })),
    ...extra,
  };
}

describe("computeDrift", () => {
  const ref = {
    stable: normals(1, 300),
    moved: normals(2, 300),
    city: Array.from({ length: 300 }, (_, i) => ["a", "b", "c"][i % 3]!),
  };
  const cur = {
    stable: normals(3, 250),
    moved: normals(4, 250, 1),
    city: Array.from({ length: 250 }, (_, i) => (i % 5 === 0 ? "d" : ["a", "b", "c"][i % 3]!)),
  };

  it("runs each column's default test and summarises the dataset", () => {
    const report = computeDrift(request(ref, cur));
    expect(report.columns.map((c) => [c.column, c.test, c.default])).toEqual([
      ["stable", "ks", true],
      ["moved", "ks", true],
      ["city", "chisquare", true],
    ]);
    const byName = Object.fromEntries(report.columns.map((c) => [c.column, c]));
    expect(byName.stable!.drifted).toBe(false);
    expect(byName.moved!.drifted).toBe(true);
    expect(byName.city!.score).toBe(0); // "d" only in current
    expect(byName.city!.drifted).toBe(true);
    expect(byName.moved!.direction).toBe("p_value");
    expect(report.dataset).toEqual({
      number_of_columns: 3,
      number_of_drifted_columns: 2,
      share_of_drifted_columns: 2 / 3,
      drift_share_threshold: 0.5,
      dataset_drift: true,
    });
  });

  it("adds requested tests, skips a duplicate of the default, and reports tests that do not apply", () => {
    const report = computeDrift(request(ref, cur, { tests: ["ks", "psi", "g_test", "chisquare"] }));
    const tests = report.columns.filter((c) => c.column === "stable").map((c) => [c.test, c.default]);
    expect(tests).toEqual([
      ["ks", true],
      ["psi", false],
    ]);
    expect(report.not_applicable).toContainEqual({ column: "stable", test: "g_test", reason: "g_test does not support numerical columns" });
    expect(report.not_applicable).toContainEqual({ column: "city", test: "ks", reason: "ks does not support categorical columns" });
    expect(report.not_applicable.find((r) => r.column === "city" && r.test === "g_test")?.reason).toMatch(/as many reference as current/);
    expect(report.dataset.number_of_drifted_columns).toBe(2); // only default tests count
  });

  it("asks for each extra test once, and treats an 'all' entry like tests: 'all'", () => {
    const twice = computeDrift(request(ref, cur, { tests: ["psi", "psi", "ks"] }));
    expect(twice.columns.filter((c) => c.column === "stable").map((c) => c.test)).toEqual(["ks", "psi"]);
    const listed = computeDrift(request(ref, cur, { tests: ["all"] }));
    expect(listed.columns.length).toBe(computeDrift(request(ref, cur, { tests: "all" })).columns.length);
  });

  it("with tests 'all' gives every test a row or a reason", () => {
    const report = computeDrift(request(ref, cur, { tests: "all" }));
    for (const column of ["stable", "moved", "city"]) {
      const seen = new Set([
        ...report.columns.filter((c) => c.column === column).map((c) => c.test),
        ...report.not_applicable.filter((c) => c.column === column).map((c) => c.test),
      ]);
      expect(seen.size).toBe(17);
    }
    for (const row of report.columns) expect(Number.isFinite(row.score)).toBe(true);
  });

  it("applies a threshold override to every test and a custom drift share", () => {
    const report = computeDrift(request(ref, cur, { threshold: 1e-300, driftShareThreshold: 0.3, tests: ["psi"] }));
    for (const row of report.columns) expect(row.threshold).toBe(1e-300);
    const psiRow = report.columns.find((c) => c.test === "psi" && c.column === "stable")!;
    expect(psiRow.drifted).toBe(true); // d ≥ 1e-300
    expect(report.dataset.drift_share_threshold).toBe(0.3);
    expect(report.dataset.number_of_drifted_columns).toBe(1); // only "city": chisquare p = 0 < 1e-300
    expect(report.dataset.dataset_drift).toBe(true);
  });

  it("combines reports on column subsets into the report on all columns", () => {
    const whole = computeDrift(request(ref, cur, { tests: ["psi"] }));
    const full = request(ref, cur, { tests: ["psi"] });
    const parts = [full.columns.slice(0, 1), full.columns.slice(1)].map((columns) => computeDrift({ ...full, columns }));
    expect(combineReports(parts)).toEqual(whole);
  });

  it("picks wasserstein / jensenshannon for references over 1000 rows", () => {
    const big = computeDrift(
      request({ x: normals(5, 1001), c: Array.from({ length: 1001 }, (_, i) => (i % 2 ? "y" : "n")) }, { x: normals(6, 900), c: ["y", "n"] }),
    );
    expect(big.columns.map((c) => c.test)).toEqual(["wasserstein", "jensenshannon"]);
  });

  it("names the problem in one line on bad input", () => {
    expect(() => computeDrift(request({ age: [null, NaN, Infinity] }, { age: [1, 2] }))).toThrow(
      new DriftInputError('column "age" is empty after cleaning in reference'),
    );
    expect(() => computeDrift(request({ age: [1, 2] }, { age: ["", null] }))).toThrow('column "age" is empty after cleaning in current');
    expect(() => computeDrift(request({ age: [1, 2] }, { age: [1, 2] }, { tests: ["foo"] }))).toThrow(/^unknown test "foo"; valid tests: ks, /);
    expect(() => computeDrift(request({ age: [1, 2] }, { other: [1] }))).toThrow('column "age" is missing from current');
    // Must throw: a one-line DriftInputError (a pass without the throw is a failure).
    let thrown: unknown;
    try {
      computeDrift(request({ age: [1] }, { age: [] }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DriftInputError);
    expect(String((thrown as Error).message)).not.toContain("\n");
  });
});

describe("computeDrift's memo of sorted columns", () => {
  it("is freed once a column's tests are done, and the scores do not depend on it", () => {
    const reference = Float64Array.from(normals(11, 6000));
    const current = Float64Array.from(normals(12, 5000, 0.1));
    const ask: DriftRequest = {
      reference: new Map([["x", reference]]),
      current: new Map([["x", current]]),
      columns: [{ name: "x", kind: "numerical" }],
      tests: "all",
    };
    // Cleaning keeps an all-finite Float64Array as it is, so the memo is keyed by these arrays.
    const expected = reference.slice().sort();
    const before = sortedOf(reference);
    expect(sortedOf(reference)).toBe(before);
    const first = computeDrift(ask);
    // Forgotten, and its memory recycled: the next sort of the same column is made in it.
    const after = sortedOf(reference);
    expect(after).not.toBe(before);
    expect(after.buffer).toBe(before.buffer);
    expect(after).toEqual(expected);
    expect(computeDrift(ask)).toEqual(first);
  });
});
