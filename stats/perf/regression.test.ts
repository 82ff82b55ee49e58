import { describe, expect, it } from "vitest";
import { RegressionMetrics } from "./regression.ts";
import fixture from "./fixtures/perf.json" with { type: "json" };

const rel = (a: number, b: number, tol = 1e-10) => expect(Math.abs(a / b - 1)).toBeLessThan(tol);

describe("RegressionMetrics", () => {
  it("is NaN when empty", () => {
    const r = new RegressionMetrics().result();
    expect(r.n).toBe(0);
    for (const v of [r.mae, r.rmse, r.mape, r.r2, r.bias]) expect(Number.isNaN(v)).toBe(true);
  });

  it("matches the numpy references, including the 25 zero actuals left out of MAPE, merged from uneven parts", () => {
    const f = fixture.regression;
    const cuts = [0, 1, 100, 1200, f.actual.length];
    const merged = new RegressionMetrics();
    for (let c = 0; c + 1 < cuts.length; c++) {
      const part = new RegressionMetrics();
      for (let i = cuts[c]!; i < cuts[c + 1]!; i++) part.update(f.actual[i]!, f.pred[i]!);
      merged.merge(RegressionMetrics.fromJSON(JSON.parse(JSON.stringify(part))));
    }
    merged.merge(new RegressionMetrics());
    const r = merged.result();
    expect(r.n).toBe(f.actual.length);
    rel(r.mae, f.mae);
    rel(r.rmse, f.rmse);
    rel(r.mape, f.mape);
    rel(r.r2, f.r2);
    rel(r.bias, f.bias);
    expect(r.mapeExcludedZeroActuals).toBe(f.mapeExcluded);
  });

  it("scores identical predictions perfectly and shifted ones by the shift", () => {
    const exact = new RegressionMetrics();
    const shifted = new RegressionMetrics();
    for (const y of [1, 2, 3, 4]) {
      exact.update(y, y);
      shifted.update(y, y + 2);
    }
    expect(exact.result()).toMatchObject({ mae: 0, rmse: 0, mape: 0, r2: 1, bias: 0 });
    const s = shifted.result();
    expect(s).toMatchObject({ mae: 2, rmse: 2, bias: 2 });
    expect(s.r2).toBeCloseTo(1 - 16 / 5, 12); // SSres = 4·4, SStot = 5
    expect(s.mape).toBeCloseTo((2 + 1 + 2 / 3 + 0.5) / 4, 12);
  });

  it("follows sklearn's force_finite rule for a constant actual, and reports MAPE NaN if all actuals are 0", () => {
    const constant = new RegressionMetrics();
    constant.update(5, 5);
    constant.update(5, 5);
    expect(constant.result().r2).toBe(1);
    constant.update(5, 6);
    expect(constant.result().r2).toBe(0);
    const zeros = new RegressionMetrics();
    zeros.update(0, 1);
    expect(Number.isNaN(zeros.result().mape)).toBe(true);
    expect(zeros.result().mapeExcludedZeroActuals).toBe(1);
  });

  it("rejects non-finite values and invalid JSON", () => {
    const m = new RegressionMetrics();
    expect(() => m.update(Number.NaN, 1)).toThrow("must be finite");
    m.update(1, 2);
    expect(() => RegressionMetrics.fromJSON({ ...m.toJSON(), version: 0 })).toThrow("unsupported regression metrics version 0");
    expect(() => RegressionMetrics.fromJSON({ ...m.toJSON(), zeroActuals: 5 })).toThrow("zeroActuals 5 exceeds n 1");
    expect(() => RegressionMetrics.fromJSON({ ...m.toJSON(), sumSq: "x" })).toThrow("sumSq must be a finite number");
  });
});
