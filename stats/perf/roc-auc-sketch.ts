// ROC AUC from two KLL sketches of the scores, one for actual positives and one for
// actual negatives. For scores not confined to [0, 1] (margins, logits), where fixed
// histogram bins do not apply.
//
//   AUC = ∫ F⁻ dF⁺ (ties ½)  ≈  Σ_i w_i·½·(F̂⁻(x_i⁻) + F̂⁻(x_i)) / n⁺
// over the positive sketch's retained items x_i with weights w_i, where F̂⁻(x⁻) and
// F̂⁻(x) are the negative sketch's exclusive and inclusive ranks.
// Error: replacing F⁻ by F̂⁻ moves the integral by at most sup|F̂⁻ − F⁻| ≤ ε⁻, and
// (integrating by parts) replacing F⁺ by F̂⁺ moves it by at most ε⁺, so
//   |AUC_sketch − AUC| ≤ ε⁺ + ε⁻
// with ε each sketch's single-sided normalized rank error (99% confidence each;
// DataSketches' KLL bound, see stats/sketch/kll.ts).
import type { KllSketch } from "../sketch/kll.ts";

export interface SketchAucResult {
  auc: number;
  errorBound: number;
}

export function aucFromSketches(positives: KllSketch, negatives: KllSketch): SketchAucResult {
  if (positives.isEmpty() || negatives.isEmpty()) return { auc: Number.NaN, errorBound: Number.NaN };
  const { items, cumWeights } = positives.sortedView();
  let total = 0;
  let previous = 0;
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    const w = cumWeights[i]! - previous;
    previous = cumWeights[i]!;
    total += w * 0.5 * (negatives.rank(x, false) + negatives.rank(x, true));
  }
  return { auc: total / positives.n, errorBound: positives.normalizedRankError() + negatives.normalizedRankError() };
}
