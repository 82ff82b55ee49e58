// The reference side of the cell-based scores, read from a profile feature: bin
// counts for numerical features, kept-category counts then "__other__" for
// categorical ones (the same cell order the live windows count in).

import type { CategoricalFeatureProfile, NumericalFeatureProfile } from "../profile/schema.ts";
import { gridFromJson } from "../profile/grid.ts";
import type { ReferenceGrid } from "../profile/grid.ts";
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

const gridCache = new WeakMap<NumericalFeatureProfile, ReferenceGrid | null>();

/** The profile feature's fine reference grid (stats/profile/grid.ts), decoded once; null when the profile has none. */
export function referenceGrid(feature: NumericalFeatureProfile): ReferenceGrid | null {
  let grid = gridCache.get(feature);
  if (grid === undefined) {
    grid = feature.grid === undefined ? null : gridFromJson(feature.grid, feature.moments.count);
    gridCache.set(feature, grid);
  }
  return grid;
}
