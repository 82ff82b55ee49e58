// The reference side of the cell-based scores, read from a profile feature: bin
// counts for numerical features, kept-category counts then "__other__" for
// categorical ones (the same cell order the live windows count in).

import type { CategoricalFeatureProfile, NumericalFeatureProfile } from "../profile/schema.ts";
import { KllSketch } from "../sketch/kll.ts";

export function referenceCells(feature: NumericalFeatureProfile | CategoricalFeatureProfile): number[] {
  return feature.kind === "numerical" ? feature.bins.counts : [...feature.categories.counts, feature.categories.other_count];
}

const sketchCache = new WeakMap<NumericalFeatureProfile, KllSketch>();

/** The profile feature's reference sketch, decoded once per profile object. */
export function referenceSketch(feature: NumericalFeatureProfile): KllSketch {
  let sketch = sketchCache.get(feature);
  if (sketch === undefined) {
    sketch = KllSketch.fromBase64(feature.sketch.base64);
    sketchCache.set(feature, sketch);
  }
  return sketch;
}
