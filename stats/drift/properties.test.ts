import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DRIFT_TESTS } from "./registry.ts";
import type { CleanColumn, DriftTest } from "./types.ts";

// Property checks with fast-check (fixed seed, bounded runs, so the file is deterministic and
// quick): p-values lie in [0, 1], distances are finite and ≥ 0, symmetric definitions are
// symmetric, identical inputs score as "no drift", rank tests ignore strictly increasing
// transforms, wasserstein/std ignores positive affine maps and categorical tests ignore
// an order-preserving renaming of the labels. Sizes stay small so the exact paths run.

const SEED = 20261126;
const RUNS = 40;
const options = { seed: SEED, numRuns: RUNS };

/** Tests whose definition is symmetric in (reference, current). jensenshannon is symmetric
 *  only for categorical input: its numerical binning depends on the reference alone. */
const SYMMETRIC = ["ks", "hellinger", "anderson", "cramer_von_mises", "ed", "t_test", "es", "fisher_exact", "jensenshannon"];
const RANK_TESTS = ["ks", "anderson", "cramer_von_mises", "mannw"];
/** The p-value each test gives two identical samples (anderson clamps at 0.25). */
const IDENTICAL_P: Record<string, number> = { ks: 1, t_test: 1, chisquare: 1, z: 1, g_test: 1, fisher_exact: 1, TVD: 1, anderson: 0.25 };

function numerical(values: readonly number[]): CleanColumn {
  return { kind: "numerical", values: Float64Array.from(values), integer: values.every(Number.isInteger) };
}

function categorical(values: readonly string[]): CleanColumn {
  return { kind: "categorical", values };
}

function testsFor(kind: CleanColumn["kind"]): DriftTest[] {
  return DRIFT_TESTS.filter((test) => test.kinds.includes(kind));
}

function close(a: number, b: number, relative: number): boolean {
  return Math.abs(a - b) <= relative * Math.max(1, Math.abs(a), Math.abs(b));
}

// Continuous values, or small integers (many ties, few distinct values).
const sample = (min: number, max: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: min, maxLength: max }),
    fc.array(fc.integer({ min: -4, max: 4 }), { minLength: min, maxLength: max }),
  );
/** Pairs of numerical samples; every third pair has equal sizes (g_test, fisher_exact need it). */
const numericalPair = fc
  .tuple(sample(3, 60), sample(3, 60), fc.double({ min: -2, max: 2, noNaN: true }), fc.boolean())
  .map(([a, b, shift, same]) => [a, (same ? [...b, ...a].slice(0, a.length) : b).map((x) => x + shift)] as const);
const labels = fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 2, maxLength: 80 });
const categoricalPair = fc
  .tuple(labels, labels, fc.boolean())
  .map(([a, b, same]) => [a, same ? [...b, ...a].slice(0, a.length) : b] as const);

function checkRanges(reference: CleanColumn, current: CleanColumn): void {
  for (const test of testsFor(reference.kind)) {
    const out = test.run(reference, current);
    if (!out.applicable) continue;
    expect(Number.isFinite(out.score), test.id).toBe(true);
    expect(out.score, test.id).toBeGreaterThanOrEqual(0);
    if (test.direction === "p_value") expect(out.score, test.id).toBeLessThanOrEqual(1);
  }
}

function checkSymmetry(reference: CleanColumn, current: CleanColumn): void {
  for (const test of testsFor(reference.kind)) {
    if (!SYMMETRIC.includes(test.id) || (test.id === "jensenshannon" && reference.kind === "numerical")) continue;
    const ab = test.run(reference, current);
    const ba = test.run(current, reference);
    expect(ba.applicable, test.id).toBe(ab.applicable);
    if (ab.applicable && ba.applicable) expect(close(ab.score, ba.score, 1e-9), `${test.id}: ${ab.score} vs ${ba.score}`).toBe(true);
  }
}

function checkIdentical(column: CleanColumn): void {
  const copy: CleanColumn =
    column.kind === "numerical" ? { ...column, values: column.values.slice() } : "tally" in column ? column : { kind: "categorical", values: [...column.values] };
  for (const test of testsFor(column.kind)) {
    const out = test.run(column, copy);
    if (!out.applicable) continue;
    // hellinger takes √(1 − BC): a BC rounded to 1 − 1e-16 shows as 1e-8 (as in Evidently)
    if (test.direction === "distance") expect(out.score, test.id).toBeLessThanOrEqual(test.id === "hellinger" ? 1e-7 : 1e-12);
    else {
      const expected = IDENTICAL_P[test.id];
      if (expected !== undefined) expect(out.score, test.id).toBeCloseTo(expected, 12);
      // mannw ("less", continuity correction) sits just above 0.5; es and cvm near 1
      else expect(out.score, test.id).toBeGreaterThanOrEqual(0.4);
    }
  }
}

describe("drift test properties (fast-check)", () => {
  it("numerical: p-values in [0, 1], distances finite and ≥ 0", () => {
    fc.assert(fc.property(numericalPair, ([a, b]) => checkRanges(numerical(a), numerical(b))), options);
  });

  it("categorical: p-values in [0, 1], distances finite and ≥ 0", () => {
    fc.assert(fc.property(categoricalPair, ([a, b]) => checkRanges(categorical(a), categorical(b))), options);
  });

  it("symmetric definitions give the same score both ways", () => {
    fc.assert(fc.property(numericalPair, ([a, b]) => checkSymmetry(numerical(a), numerical(b))), options);
    fc.assert(fc.property(categoricalPair, ([a, b]) => checkSymmetry(categorical(a), categorical(b))), options);
  });

  it("identical inputs: zero distance and the test's no-drift p-value", () => {
    fc.assert(fc.property(sample(3, 60), (a) => checkIdentical(numerical(a))), options);
    fc.assert(fc.property(labels, (a) => checkIdentical(categorical(a))), options);
  });

  it("rank tests are unchanged by a strictly increasing transform of both samples", () => {
    // Integers keep the transform strictly increasing in floating point, so ties stay ties.
    const ints = fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 3, maxLength: 50 });
    const transform = (x: number): number => Math.exp(x / 7) + 3;
    fc.assert(
      fc.property(ints, ints, (a, b) => {
        for (const id of RANK_TESTS) {
          const test = DRIFT_TESTS.find((t) => t.id === id) as DriftTest;
          const plain = test.run(numerical(a), numerical(b));
          const mapped = test.run(numerical(a.map(transform)), numerical(b.map(transform)));
          expect(mapped.applicable, id).toBe(plain.applicable);
          if (plain.applicable && mapped.applicable) expect(close(plain.score, mapped.score, 1e-9), `${id}: ${plain.score} vs ${mapped.score}`).toBe(true);
        }
      }),
      options,
    );
  });

  it("wasserstein / std(reference) is unchanged by a positive affine map", () => {
    const wasserstein = DRIFT_TESTS.find((t) => t.id === "wasserstein") as DriftTest;
    const values = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(values, values, fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (a, b, scale, offset) => {
        const plain = wasserstein.run(numerical(a), numerical(b));
        const mapped = wasserstein.run(numerical(a.map((x) => scale * x + offset)), numerical(b.map((x) => scale * x + offset)));
        // std(ref) is floored at 0.001, which breaks scale invariance for (near-)constant references
        const spread = Math.max(...a) - Math.min(...a);
        if (plain.applicable && mapped.applicable && spread > 1) expect(close(plain.score, mapped.score, 1e-7), `${plain.score} vs ${mapped.score}`).toBe(true);
      }),
      options,
    );
  });

  it("categorical tests are unchanged by an order-preserving renaming of the labels", () => {
    const rename = (x: string): string => `label_${x}`;
    fc.assert(
      fc.property(categoricalPair, ([a, b]) => {
        for (const test of testsFor("categorical")) {
          const plain = test.run(categorical(a), categorical(b));
          const renamed = test.run(categorical(a.map(rename)), categorical(b.map(rename)));
          expect(renamed.applicable, test.id).toBe(plain.applicable);
          if (plain.applicable && renamed.applicable) expect(close(plain.score, renamed.score, 1e-12), test.id).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});
