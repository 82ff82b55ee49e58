// Until a baseline is uploaded, a monitor freezes its first events as the reference:
// the first AUTO_BASELINE_EVENTS events (5,000 by default: enough for stable decile
// bins and for the distance-based drift rule; see drift-decision.ts). Columns that
// hold no usable value in those events are left out of drift scoring rather than
// blocking the baseline.
import { DEFAULT_BINS, profileCategorical, profileNumerical } from "../../stats/profile/build.ts";
import { DEFAULT_MAX_CATEGORIES } from "../../stats/profile/categories.ts";
import { inferKind } from "../../stats/profile/infer-kind.ts";
import type { FeatureProfile, Profile } from "../../stats/profile/schema.ts";
import { KLL_DEFAULT_K } from "../../stats/sketch/kll.ts";
import { rawCell } from "../../stats/streaming/columns.ts";
import type { ColumnKind, FeatureSpec } from "./calls.ts";
import type { EventColumns } from "./event-columns.ts";

export const AUTO_BASELINE_EVENTS = 5_000;

function profileColumn(name: string, kind: ColumnKind | undefined, values: readonly unknown[], gridBins?: number): FeatureProfile | null {
  const resolved = kind ?? inferKind(values);
  if (resolved === undefined) return null;
  try {
    return resolved === "numerical"
      ? profileNumerical(name, values, { bins: DEFAULT_BINS, binning: "quantile", k: KLL_DEFAULT_K, ...(gridBins !== undefined ? { gridBins } : {}) })
      : profileCategorical(name, values, DEFAULT_MAX_CATEGORIES);
  } catch {
    return null;
  }
}

/** The values of one feature across batches, as event records held them (null when missing or absent). */
function featureValues(batches: readonly EventColumns[], name: string): unknown[] {
  const out: unknown[] = [];
  for (const batch of batches) {
    const column = batch.features.find((c) => c.name === name);
    for (let r = 0; r < batch.length; r++) out.push(column === undefined ? null : rawCell(column, r));
  }
  return out;
}

/**
 * A profile of these events: schema features (kinds from the schema), then the prediction.
 * `gridBins`: the numerical features' reference grid (default 1,000; segment baselines use fewer).
 */
export function profileFromBatches(batches: readonly EventColumns[], features: readonly FeatureSpec[], createdAt: number, gridBins?: number): Profile {
  const profiled: FeatureProfile[] = [];
  for (const spec of features) {
    const column = profileColumn(spec.name, spec.kind, featureValues(batches, spec.name), gridBins);
    if (column) profiled.push(column);
  }
  return {
    format: "vigil.profile",
    version: 1,
    created_at: new Date(createdAt).toISOString(),
    rows: batches.reduce((n, b) => n + b.length, 0),
    features: profiled,
    prediction: profileColumn("prediction", undefined, batches.flatMap((b) => b.predictions)),
  };
}
