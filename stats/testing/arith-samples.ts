// Test samples drawn with arithmetic only (+, −, ×, ÷, √, floor: all correctly rounded
// in IEEE 754), so scripts/fixtures/gen_streaming.py rebuilds the very same doubles
// from the same mulberry32 seed and computes exact batch values on them with scipy.
// No log/cos (Box-Muller): libm and V8 may differ in the last bit.

import { mulberry32 } from "./rng.ts";

export type SampleShape = "normal" | "heavy" | "discrete";

export interface SampleSpec {
  shape: SampleShape;
  seed: number;
  n: number;
  shift?: number;
  scale?: number;
}

/**
 * normal: Irwin-Hall, Σ of 12 uniforms − 6 (mean 0, variance 1, near-normal);
 * heavy: ±(1/√u − 1), u ∈ (0, 1] (Pareto tail with α = 2: finite mean, infinite variance);
 * discrete: ⌊6·u·v⌋ ∈ {0 … 5}, skewed toward 0, with many ties.
 * Then x·scale + shift.
 */
export function drawSample(spec: SampleSpec): Float64Array {
  const next = mulberry32(spec.seed);
  const scale = spec.scale ?? 1;
  const shift = spec.shift ?? 0;
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    let x: number;
    if (spec.shape === "normal") {
      let sum = 0;
      for (let j = 0; j < 12; j++) sum += next();
      x = sum - 6;
    } else if (spec.shape === "heavy") {
      const u = 1 - next();
      const sign = next() < 0.5 ? -1 : 1;
      x = sign * (1 / Math.sqrt(u) - 1);
    } else {
      x = Math.floor(6 * next() * next());
    }
    out[i] = x * scale + shift;
  }
  return out;
}

/** Labels drawn with the given weights (cumulative thresholds summed left to right). */
export function drawLabels(seed: number, n: number, labels: readonly string[], weights: readonly number[]): string[] {
  const next = mulberry32(seed);
  let total = 0;
  for (const w of weights) total += w;
  const thresholds: number[] = [];
  let cumulative = 0;
  for (const w of weights) {
    cumulative += w;
    thresholds.push(cumulative / total);
  }
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = next();
    let k = 0;
    while (k < thresholds.length - 1 && u >= (thresholds[k] as number)) k++;
    out.push(labels[k] as string);
  }
  return out;
}
