// The four embedding drift methods against scripts/fixtures/gen_embeddings.py (scipy's
// distances and wasserstein, numpy MMD², the random parts replayed from the same mulberry32
// stream), and their false-alarm rate on null data.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { type Distance, distanceDrift, mmdDrift, modelDrift, ratioDrift } from "./embedding-drift.ts";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "embeddings.json"), "utf8")) as {
  cases: Array<{
    name: string;
    reference: number[][];
    current: number[][];
    expected: {
      distance: Record<Distance, { score: number; drifted: boolean }>;
      distance_bootstrap: { score: number; threshold: number; drifted: boolean };
      ratio: { score: number; drifted: boolean; drifted_components: number[] };
      mmd: { score: number; p_value: number; gamma: number; drifted: boolean };
      model: { score: number; ci95: [number, number]; drifted: boolean };
    };
  }>;
};

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));

describe("embedding drift matches the numpy/scipy reference", () => {
  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const { reference, current, expected } = testCase;
      for (const kind of ["euclidean", "cosine", "cityblock", "chebyshev"] as const) {
        const result = distanceDrift(reference, current, { distance: kind });
        close(result.score, expected.distance[kind].score, 1e-12);
        expect(result.drifted).toBe(expected.distance[kind].drifted);
      }
      const bootstrap = distanceDrift(reference, current, { bootstrap: true });
      close(bootstrap.threshold, expected.distance_bootstrap.threshold, 1e-12);
      expect(bootstrap.drifted).toBe(expected.distance_bootstrap.drifted);

      const ratio = ratioDrift(reference, current);
      expect(ratio.details.drifted_components).toEqual(expected.ratio.drifted_components);
      expect(ratio.drifted).toBe(expected.ratio.drifted);

      const mmd = mmdDrift(reference, current);
      close(mmd.score, expected.mmd.score, 1e-9);
      close(mmd.details.gamma as number, expected.mmd.gamma, 1e-12);
      expect(mmd.details.p_value).toBe(expected.mmd.p_value);
      expect(mmd.drifted).toBe(expected.mmd.drifted);

      const model = modelDrift(reference, current);
      close(model.score, expected.model.score, 1e-9);
      close((model.details.ci95 as number[])[0]!, expected.model.ci95[0], 1e-9);
      expect(model.drifted).toBe(expected.model.drifted);
    });
  }
});

describe("embedding drift on null data", () => {
  it("mmd's permutation test and the model method raise at most a few false alarms in 40 seeded null pairs", () => {
    let mmdAlarms = 0;
    let modelAlarms = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const normal = normalFrom(mulberry32(seed));
      const rows = (n: number) => Array.from({ length: n }, () => Float64Array.from({ length: 6 }, normal));
      const reference = rows(120);
      const current = rows(100);
      if (mmdDrift(reference, current, { permutations: 99, seed }).drifted) mmdAlarms++;
      if (modelDrift(reference, current, { seed }).drifted) modelAlarms++;
    }
    // α = 0.05: 2 alarms expected; 6 or more has probability < 5 % (binomial(40, 0.05)).
    expect(mmdAlarms).toBeLessThanOrEqual(5);
    expect(modelAlarms).toBeLessThanOrEqual(5);
  });

  it("refuses ragged rows and non-finite components, naming the row", () => {
    expect(() => distanceDrift([[1, 2], [3]], [[1, 2]])).toThrow("reference row 2 has 1 components, not 2");
    expect(() => distanceDrift([[1, 2]], [[1, Number.NaN]])).toThrow("current row 1 component 1 is not a finite number");
  });
});
