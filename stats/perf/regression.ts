// Streaming regression metrics from mergeable sums, with e = predicted − actual:
//   MAE  = Σ|e|/n                      (sklearn mean_absolute_error)
//   RMSE = √(Σe²/n)                    (sklearn root_mean_squared_error)
//   bias = Σe/n                        (mean signed error; > 0 means over-prediction)
//   MAPE = Σ|e|/|y| / n' over the n' events with y ≠ 0, as a fraction (not %).
//          sklearn divides by max(|y|, 2^−52) instead, so one zero actual makes its
//          MAPE astronomically large; we exclude zero actuals and report how many.
//   R²   = 1 − Σe² / Σ(y − ȳ)²         (sklearn r2_score). Σ(y − ȳ)² is kept as a
//          Welford/Chan M2 (see stats/sketch/moments.ts) so merging does not cancel.
//          A constant actual gives R² = 1 if every prediction is exact, else 0 (sklearn's force_finite).
import { readCount, readFinite, readNonNegative, readObject } from "./json-fields.ts";

export const REGRESSION_VERSION = 1;
const WHAT = "regression metrics";

export interface RegressionResult {
  n: number;
  mae: number;
  rmse: number;
  mape: number;
  /** Events left out of MAPE because the actual was 0. */
  mapeExcludedZeroActuals: number;
  r2: number;
  bias: number;
}

export interface RegressionJSON {
  version: number;
  n: number;
  sumAbs: number;
  sumSq: number;
  sumErr: number;
  sumApe: number;
  zeroActuals: number;
  actualMean: number;
  actualM2: number;
}

export class RegressionMetrics {
  #n = 0;
  #sumAbs = 0;
  #sumSq = 0;
  #sumErr = 0;
  #sumApe = 0;
  #zeroActuals = 0;
  #actualMean = 0;
  #actualM2 = 0;

  get n(): number { return this.#n; }

  update(actual: number, predicted: number): void {
    if (!Number.isFinite(actual) || !Number.isFinite(predicted)) {
      throw new Error(`${WHAT}: actual and predicted must be finite: ${actual}, ${predicted}`);
    }
    const e = predicted - actual;
    this.#n++;
    this.#sumAbs += Math.abs(e);
    this.#sumSq += e * e;
    this.#sumErr += e;
    if (actual === 0) this.#zeroActuals++;
    else this.#sumApe += Math.abs(e) / Math.abs(actual);
    const delta = actual - this.#actualMean;
    this.#actualMean += delta / this.#n;
    this.#actualM2 += delta * (actual - this.#actualMean);
  }

  merge(other: RegressionMetrics): void {
    if (other.#n === 0) return;
    const n = this.#n + other.#n;
    const delta = other.#actualMean - this.#actualMean;
    this.#actualM2 += other.#actualM2 + (delta * delta * this.#n * other.#n) / n;
    this.#actualMean += (delta * other.#n) / n;
    this.#n = n;
    this.#sumAbs += other.#sumAbs;
    this.#sumSq += other.#sumSq;
    this.#sumErr += other.#sumErr;
    this.#sumApe += other.#sumApe;
    this.#zeroActuals += other.#zeroActuals;
  }

  /** Every value is NaN when empty; MAPE is NaN when every actual was 0. */
  result(): RegressionResult {
    const n = this.#n;
    const mapeN = n - this.#zeroActuals;
    let r2 = Number.NaN;
    if (n > 0) r2 = this.#actualM2 > 0 ? 1 - this.#sumSq / this.#actualM2 : this.#sumSq === 0 ? 1 : 0;
    return {
      n,
      mae: n > 0 ? this.#sumAbs / n : Number.NaN,
      rmse: n > 0 ? Math.sqrt(this.#sumSq / n) : Number.NaN,
      mape: mapeN > 0 ? this.#sumApe / mapeN : Number.NaN,
      mapeExcludedZeroActuals: this.#zeroActuals,
      r2,
      bias: n > 0 ? this.#sumErr / n : Number.NaN,
    };
  }

  toJSON(): RegressionJSON {
    return {
      version: REGRESSION_VERSION, n: this.#n, sumAbs: this.#sumAbs, sumSq: this.#sumSq, sumErr: this.#sumErr,
      sumApe: this.#sumApe, zeroActuals: this.#zeroActuals, actualMean: this.#actualMean, actualM2: this.#actualM2,
    };
  }

  static fromJSON(value: unknown): RegressionMetrics {
    const v = readObject(value, WHAT, REGRESSION_VERSION);
    const out = new RegressionMetrics();
    out.#n = readCount(v, "n", WHAT);
    out.#sumAbs = readNonNegative(v, "sumAbs", WHAT);
    out.#sumSq = readNonNegative(v, "sumSq", WHAT);
    out.#sumErr = readFinite(v, "sumErr", WHAT);
    out.#sumApe = readNonNegative(v, "sumApe", WHAT);
    out.#zeroActuals = readCount(v, "zeroActuals", WHAT);
    out.#actualMean = readFinite(v, "actualMean", WHAT);
    out.#actualM2 = readNonNegative(v, "actualM2", WHAT);
    if (out.#zeroActuals > out.#n) throw new Error(`${WHAT}: zeroActuals ${out.#zeroActuals} exceeds n ${out.#n}`);
    return out;
  }
}
