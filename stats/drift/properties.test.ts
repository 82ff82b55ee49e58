import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { DRIFT_TESTS } from "./registry.ts";
import type { CleanColumn } from "./types.ts";

// Seeded property checks over random samples (small sizes so exact paths run too):
// p-values lie in [0, 1], distances are ≥ 0, symmetric tests are symmetric, and
// identical inputs score as "no drift" (zero distance, p-values not below the threshold).

const random = mulberry32(2024);
const normal = normalFrom(random);

function numerical(n: number, shift: number, ties: boolean): CleanColumn {
  return { kind: "numerical", values: Float64Array.from({ length: n }, () => (ties ? Math.round(normal() * 2) : normal()) + shift) };
}

function categorical(n: number, k: number): CleanColumn {
  return { kind: "categorical", values: Array.from({ length: n }, () => `k${Math.floor(k * random() ** 1.3)}`) };
}

const SYMMETRIC = ["ks", "jensenshannon", "hellinger", "anderson", "cramer_von_mises", "ed", "t_test", "es", "fisher_exact"];

const pairs: [string, CleanColumn, CleanColumn][] = [];
for (let i = 0; i < 12; i++) {
  const n1 = [5, 9, 14, 30, 120, 400][i % 6]!;
  const n2 = i % 3 === 0 ? n1 : [7, 13, 25, 60, 300][i % 5]!;
  pairs.push([`num ${n1}/${n2} #${i}`, numerical(n1, 0, i % 2 === 0), numerical(n2, (i % 4) * 0.3, i % 2 === 0)]);
  pairs.push([`cat ${n1}/${n2} #${i}`, categorical(n1, 2 + (i % 4)), categorical(n2, 2 + (i % 3))]);
}

describe("drift test properties", () => {
  it.each(pairs)("%s: scores in range and symmetric where the test is", (_name, a, b) => {
    for (const test of DRIFT_TESTS) {
      if (!test.kinds.includes(a.kind)) continue;
      const ab = test.run(a, b);
      if (!ab.applicable) continue;
      if (test.direction === "p_value") {
        expect(ab.score, test.id).toBeGreaterThanOrEqual(0);
        expect(ab.score, test.id).toBeLessThanOrEqual(1);
      } else expect(ab.score, test.id).toBeGreaterThanOrEqual(0);
      // jensenshannon's binning depends on the reference's distinct count (histogram above 20)
      const symmetric = SYMMETRIC.includes(test.id) && !(test.id === "jensenshannon" && a.kind === "numerical");
      if (symmetric) {
        const ba = test.run(b, a);
        expect(ba.applicable, test.id).toBe(true);
        if (ba.applicable) expect(Math.abs(ba.score - ab.score), test.id).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ab.score)));
      }
    }
  });

  it.each(pairs)("%s: identical samples show no drift", (_name, a) => {
    const copy: CleanColumn = a.kind === "numerical" ? { kind: "numerical", values: a.values.slice() } : { kind: "categorical", values: [...a.values] };
    for (const test of DRIFT_TESTS) {
      if (!test.kinds.includes(a.kind)) continue;
      const out = test.run(a, copy);
      if (!out.applicable) continue;
      // hellinger takes √(1 − BC), so a BC rounded to 1 − 1e-16 shows as 1e-8 (as in Evidently)
      if (test.direction === "distance") expect(out.score, test.id).toBeLessThanOrEqual(test.id === "hellinger" ? 1e-7 : 1e-12);
      else expect(out.score, test.id).toBeGreaterThanOrEqual(test.id === "anderson" ? 0.25 : test.id === "mannw" ? 0.4 : 0.5);
    }
  });
});
