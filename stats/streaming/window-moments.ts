// Mergeable moments of one feature in a live window: counts of used and rejected
// cells, min, max, mean and the sum of squared deviations M2.
// Update: Welford (1962); merge: Chan, Golub & LeVeque (1979),
//   n = n_a + n_b, δ = mean_b − mean_a, mean = mean_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n.
// Population variance = M2 / n (ddof 0, as numpy.var).

import type { ByteReader, ByteWriter } from "./bytes.ts";

export class WindowMoments {
  count = 0;
  missing = 0;
  nonFinite = 0;
  typeViolations = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;

  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  merge(other: WindowMoments): void {
    this.missing += other.missing;
    this.nonFinite += other.nonFinite;
    this.typeViolations += other.typeViolations;
    if (other.count === 0) return;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.m2 = other.m2;
    } else {
      const n = this.count + other.count;
      const delta = other.mean - this.mean;
      this.mean += (delta * other.count) / n;
      this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
      this.count = n;
    }
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Population standard deviation (ddof 0); NaN when empty. */
  std(): number {
    return this.count === 0 ? Number.NaN : Math.sqrt(this.m2 / this.count);
  }

  write(out: ByteWriter): void {
    out.varint(this.count);
    out.varint(this.missing);
    out.varint(this.nonFinite);
    out.varint(this.typeViolations);
    if (this.count === 0) return;
    out.f64(this.min);
    out.f64(this.max);
    out.f64(this.mean);
    out.f64(this.m2);
  }

  static read(input: ByteReader): WindowMoments {
    const moments = new WindowMoments();
    moments.count = input.varint();
    moments.missing = input.varint();
    moments.nonFinite = input.varint();
    moments.typeViolations = input.varint();
    if (moments.count > 0) {
      moments.min = input.f64();
      moments.max = input.f64();
      moments.mean = input.f64();
      moments.m2 = input.f64();
    }
    return moments;
  }
}
