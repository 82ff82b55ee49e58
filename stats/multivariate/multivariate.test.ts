// stats/multivariate against an independent numpy implementation of the same methods
// (scripts/fixtures/gen_multivariate.py) on seeded cases: no drift, a correlation flip with
// unchanged marginals, a category shift with missing values, and a current window much
// smaller than a reference chunk.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ColumnKind, RawValue } from "../drift/types.ts";
import { multivariateDrift } from "./multivariate.ts";
import type { MultivariateInput } from "./rows.ts";

interface Case {
  name: string;
  columns: Array<{ name: string; kind: ColumnKind }>;
  reference: Record<string, RawValue[]>;
  current: Record<string, RawValue[]>;
  expected: {
    reconstruction: { error: number; lower: number; upper: number; drifted: boolean; components: number; explained_variance: number; reference_error: number };
    domain_classifier: { auc: number; ci95: [number, number]; drifted: boolean; top_features: Array<{ feature: string; importance: number }> };
  };
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "multivariate.json"), "utf8")) as { cases: Case[] };

function inputOf(testCase: Case): MultivariateInput {
  return {
    columns: testCase.columns,
    reference: new Map(Object.entries(testCase.reference)),
    current: new Map(Object.entries(testCase.current)),
  };
}

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));

describe("multivariate drift matches the numpy reference", () => {
  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const report = multivariateDrift(inputOf(testCase));
      const { reconstruction, domain_classifier } = testCase.expected;
      expect(report.reconstruction.components).toBe(reconstruction.components);
      close(report.reconstruction.explained_variance, reconstruction.explained_variance);
      close(report.reconstruction.error, reconstruction.error);
      close(report.reconstruction.reference_error, reconstruction.reference_error);
      close(report.reconstruction.lower, reconstruction.lower);
      close(report.reconstruction.upper, reconstruction.upper);
      expect(report.reconstruction.drifted).toBe(reconstruction.drifted);

      close(report.domain_classifier.auc, domain_classifier.auc);
      close(report.domain_classifier.ci95[0], domain_classifier.ci95[0]);
      close(report.domain_classifier.ci95[1], domain_classifier.ci95[1]);
      expect(report.domain_classifier.drifted).toBe(domain_classifier.drifted);
      expect(report.domain_classifier.top_features.map((entry) => entry.feature)).toEqual(domain_classifier.top_features.map((entry) => entry.feature));
      report.domain_classifier.top_features.forEach((entry, index) => close(entry.importance, domain_classifier.top_features[index]!.importance, 1e-7));
    });
  }

  it("flags a correlation flip that leaves every marginal unchanged, and not the null case", () => {
    const byName = new Map(fixture.cases.map((testCase) => [testCase.name, multivariateDrift(inputOf(testCase))]));
    const flip = byName.get("correlation_flip")!;
    expect(flip.domain_classifier.drifted).toBe(true);
    expect(flip.reconstruction.drifted).toBe(true);
    expect(flip.domain_classifier.top_features.slice(0, 2).map((entry) => entry.feature).sort()).toEqual(["x", "y"]);
    const nothing = byName.get("null")!;
    expect(nothing.domain_classifier.drifted).toBe(false);
    expect(nothing.reconstruction.drifted).toBe(false);
  });
});
