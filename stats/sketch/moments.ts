// Streaming moments of one numerical feature: counts of present, missing and
// non-finite values, mean and variance, min and max. Mergeable, so 1-minute
// buckets roll up into longer windows exactly (up to floating-point rounding).
//
// Update: Welford (1962), "Note on a method for calculating corrected sums of squares
// and products", Technometrics 4(3):
//   δ = x − mean;  mean += δ/n;  M2 += δ·(x − mean)
// Merge: Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm for
// computing sample variances", Stanford CS tech. report STAN-CS-79-773:
//   δ = mean_b − mean_a;  n = n_a + n_b;  mean = mean_a + δ·n_b/n;  M2 = M2_a + M2_b + δ²·n_a·n_b/n
// Both avoid the cancellation of the naive Σx² − (Σx)²/n.

export const MOMENTS_VERSION = 1;

export interface MomentsJSON {
  version: number;
  count: number;
  missing: number;
  nonFinite: number;
  mean: number;
  m2: number;
  /** null while no finite value has been seen (JSON has no NaN). */
  min: number | null;
  max: number | null;
}

export class Moments {
  /** Finite values seen. */
  count = 0;
  /** null or undefined values. */
  missing = 0;
  /** NaN or ±Infinity values; excluded from every other statistic. */
  nonFinite = 0;
  #mean = 0;
  #m2 = 0;
  #min = Number.NaN;
  #max = Number.NaN;

  update(x: number | null | undefined): void {
    if (x === null || x === undefined) { this.missing++; return; }
    if (!Number.isFinite(x)) { this.nonFinite++; return; }
    this.count++;
    const delta = x - this.#mean;
    this.#mean += delta / this.count;
    this.#m2 += delta * (x - this.#mean);
    if (this.count === 1) {
      this.#min = x;
      this.#max = x;
    } else {
      if (x < this.#min) this.#min = x;
      if (x > this.#max) this.#max = x;
    }
  }

  merge(other: Moments): void {
    this.missing += other.missing;
    this.nonFinite += other.nonFinite;
    if (other.count === 0) return;
    if (this.count === 0) {
      this.count = other.count;
      this.#mean = other.#mean;
      this.#m2 = other.#m2;
      this.#min = other.#min;
      this.#max = other.#max;
      return;
    }
    const n = this.count + other.count;
    const delta = other.#mean - this.#mean;
    this.#mean += (delta * other.count) / n;
    this.#m2 += other.#m2 + (delta * delta * this.count * other.count) / n;
    this.count = n;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  /** All values offered, present or not. */
  get total(): number { return this.count + this.missing + this.nonFinite; }
  /** NaN when empty. */
  get mean(): number { return this.count === 0 ? Number.NaN : this.#mean; }
  /** M2 / (count − ddof); ddof = 1 is the sample variance (numpy var(ddof=1)). NaN when count ≤ ddof. */
  variance(ddof = 1): number {
    return this.count > ddof ? this.#m2 / (this.count - ddof) : Number.NaN;
  }
  std(ddof = 1): number { return Math.sqrt(this.variance(ddof)); }
  min(): number { return this.#min; }
  max(): number { return this.#max; }

  toJSON(): MomentsJSON {
    const empty = this.count === 0;
    return {
      version: MOMENTS_VERSION, count: this.count, missing: this.missing, nonFinite: this.nonFinite,
      mean: this.#mean, m2: this.#m2, min: empty ? null : this.#min, max: empty ? null : this.#max,
    };
  }

  static fromJSON(value: unknown): Moments {
    if (typeof value !== "object" || value === null) throw new Error("moments: expected an object");
    const v = value as Record<string, unknown>;
    if (v.version !== MOMENTS_VERSION) throw new Error(`unsupported moments version ${String(v.version)}`);
    const out = new Moments();
    out.count = countField(v, "count");
    out.missing = countField(v, "missing");
    out.nonFinite = countField(v, "nonFinite");
    out.#mean = finiteField(v, "mean");
    out.#m2 = finiteField(v, "m2");
    if (out.#m2 < 0) throw new Error(`moments: m2 must be >= 0: ${out.#m2}`);
    if (out.count === 0) {
      if (v.min !== null || v.max !== null) throw new Error("moments: min and max must be null when count is 0");
      return out;
    }
    out.#min = finiteField(v, "min");
    out.#max = finiteField(v, "max");
    if (out.#min > out.#max) throw new Error(`moments: min ${out.#min} exceeds max ${out.#max}`);
    return out;
  }
}

function countField(v: Record<string, unknown>, name: string): number {
  const x = v[name];
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new Error(`moments: ${name} must be a non-negative integer: ${String(x)}`);
  return x;
}

function finiteField(v: Record<string, unknown>, name: string): number {
  const x = v[name];
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`moments: ${name} must be a finite number: ${String(x)}`);
  return x;
}
