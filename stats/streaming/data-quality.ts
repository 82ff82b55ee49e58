// Data-quality checks of a live window against its reference profile. The window stores
// counts only (they merge by addition); rates are formed here, when a report is asked
// for, so a 24-hour window's report is exact over the whole day.
//
// Per feature (rates over the feature's cells in the window, one per event):
//   missing          null, undefined, NaN, "" (absent keys included), vs the reference's rate;
//   absent           the event lacked the key entirely (a subset of missing), expected 0;
//   type_violations  a value of the wrong type ("abc" in a numerical feature, an object
//                    in a categorical one), vs the reference's rate;
//   non_finite       ±Infinity in a numerical feature, vs the reference's rate;
//   out_of_range     numerical: finite values below the reference min or above its max,
//                    over the finite values. The exact min and max (the profile's moments)
//                    are used rather than a quantile range because their null rate is known
//                    without assumptions: a new draw from the reference distribution falls
//                    outside the range of n reference values with probability at most
//                    2/(n + 1) (exchangeability; equality for continuous data), and there is
//                    no sketch error. A quantile range (say 0.1%–99.9%) would flag 0.2% of
//                    null traffic by construction and inherit the sketch's rank error.
//   unseen           categorical: labels outside the profile's kept categories, over the
//                    labels counted, vs the reference's "__other__" share. When the profile
//                    pooled nothing (other_count = 0) these labels were never seen in the
//                    reference (`exact`); otherwise some may be rare reference categories.
//                    The top labels come from the window's capped tally (the first 100
//                    distinct labels it met), most frequent first.
// Per window (rates over the events checked; events read from a version 1 window were
// not checked):
//   rows_missing_features   events lacking at least one profiled key;
//   rows_with_unknown_features  events carrying keys the profile does not know (the
//                           prediction's key counts as known), with the top keys.
//
// Flagging: a check is flagged when its rate > expected + tolerance, expected being the
// reference rate (0 for absent keys and unknown features, 2/(n_ref + 1) for out of range).
// Default tolerances (DEFAULT_QUALITY_TOLERANCES) are absolute rates: 5 points for
// missing values, 1 point for everything else. A rate is granular at 1/events, so in a
// 100-event window two bad events already pass a 1-point tolerance; that is intended:
// the reference rate of these defects is usually 0, and any excess is worth a look.

import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "../profile/schema.ts";
import type { CategoricalWindow } from "./categorical-window.ts";
import type { NumericalWindow } from "./numerical-window.ts";
import type { FeatureWindow, WindowState } from "./window.ts";

export interface QualityTolerances {
  missing: number;
  absent: number;
  type_violations: number;
  non_finite: number;
  out_of_range: number;
  unseen: number;
  rows_missing_features: number;
  rows_with_unknown_features: number;
}

export const DEFAULT_QUALITY_TOLERANCES: Readonly<QualityTolerances> = {
  missing: 0.05,
  absent: 0.01,
  type_violations: 0.01,
  non_finite: 0.01,
  out_of_range: 0.01,
  unseen: 0.01,
  rows_missing_features: 0.01,
  rows_with_unknown_features: 0.01,
};

/** How many unseen labels / unknown keys a report lists. */
export const TOP_LABELS = 10;

export interface QualityCheck {
  count: number;
  /** count / denominator (0 when the denominator is 0). */
  rate: number;
  /** The rate expected on clean traffic (the reference's rate, or the stated null rate). */
  expected: number;
  flagged: boolean;
}

export interface LabelCount {
  label: string;
  count: number;
}

interface FeatureQualityBase {
  feature: string;
  /** Cells seen: one per event (values + missing + type violations + non-finite). */
  events: number;
  missing: QualityCheck;
  absent: QualityCheck;
  type_violations: QualityCheck;
  /** Names of the flagged checks. */
  flags: string[];
}

export interface NumericalQuality extends FeatureQualityBase {
  kind: "numerical";
  non_finite: QualityCheck;
  out_of_range: QualityCheck & { below: number; above: number; reference_min: number; reference_max: number };
}

export interface CategoricalQuality extends FeatureQualityBase {
  kind: "categorical";
  unseen: QualityCheck & { exact: boolean; top: LabelCount[]; untallied: number };
}

export type FeatureQuality = NumericalQuality | CategoricalQuality;

export interface WindowQuality {
  rows: number;
  /** Events whose presence was counted (rows minus those read from version 1 bytes). */
  checked_rows: number;
  rows_missing_features: QualityCheck;
  rows_with_unknown_features: QualityCheck & { top: LabelCount[]; untallied: number };
  features: FeatureQuality[];
  prediction: FeatureQuality | null;
  /** Features (and "prediction") with at least one flagged check. */
  flagged_features: string[];
  flagged: boolean;
}

function check(count: number, denominator: number, expected: number, tolerance: number): QualityCheck {
  const rate = denominator > 0 ? count / denominator : 0;
  return { count, rate, expected, flagged: count > 0 && rate > expected + tolerance };
}

function topCounts(tally: ReadonlyMap<string, number>): LabelCount[] {
  return [...tally]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_LABELS)
    .map(([label, count]) => ({ label, count }));
}

function flagsOf(checks: Record<string, QualityCheck>): string[] {
  return Object.entries(checks)
    .filter(([, c]) => c.flagged)
    .map(([name]) => name);
}

export function numericalQuality(feature: NumericalFeatureProfile, window: NumericalWindow, absent: number, tolerances: QualityTolerances): NumericalQuality {
  const m = window.moments;
  const events = m.count + m.missing + m.nonFinite + window.typeViolations;
  const ref = feature.moments;
  const refEvents = ref.count + ref.missing + ref.non_finite + ref.type_violations;
  const outside = window.belowRange + window.aboveRange;
  const checks = {
    missing: check(m.missing, events, ref.missing / refEvents, tolerances.missing),
    absent: check(absent, events, 0, tolerances.absent),
    type_violations: check(window.typeViolations, events, ref.type_violations / refEvents, tolerances.type_violations),
    non_finite: check(m.nonFinite, events, ref.non_finite / refEvents, tolerances.non_finite),
    out_of_range: check(outside, m.count, 2 / (ref.count + 1), tolerances.out_of_range),
  };
  return {
    feature: feature.name,
    kind: "numerical",
    events,
    ...checks,
    out_of_range: { ...checks.out_of_range, below: window.belowRange, above: window.aboveRange, reference_min: ref.min, reference_max: ref.max },
    flags: flagsOf(checks),
  };
}

export function categoricalQuality(feature: CategoricalFeatureProfile, window: CategoricalWindow, absent: number, tolerances: QualityTolerances): CategoricalQuality {
  const m = window.moments;
  const events = m.count + m.missing + m.typeViolations;
  const ref = feature.moments;
  const refEvents = ref.count + ref.missing + ref.type_violations;
  const outside = window.cells[window.cells.length - 1] as number;
  const checks = {
    missing: check(m.missing, events, ref.missing / refEvents, tolerances.missing),
    absent: check(absent, events, 0, tolerances.absent),
    type_violations: check(m.typeViolations, events, ref.type_violations / refEvents, tolerances.type_violations),
    unseen: check(outside, m.count, feature.categories.other_count / ref.count, tolerances.unseen),
  };
  return {
    feature: feature.name,
    kind: "categorical",
    events,
    ...checks,
    unseen: { ...checks.unseen, exact: feature.categories.other_count === 0, top: topCounts(window.unlisted), untallied: window.unlistedOverflow },
    flags: flagsOf(checks),
  };
}

export function featureQuality(feature: FeatureProfile, window: FeatureWindow, absent: number, tolerances: QualityTolerances): FeatureQuality {
  if (feature.name !== window.name || feature.kind !== window.kind) {
    throw new Error(`window "${window.name}" (${window.kind}) does not match profile feature "${feature.name}" (${feature.kind})`);
  }
  if (feature.kind === "numerical" && window.kind === "numerical") return numericalQuality(feature, window, absent, tolerances);
  if (feature.kind === "categorical" && window.kind === "categorical") return categoricalQuality(feature, window, absent, tolerances);
  throw new Error(`feature "${feature.name}": kind mismatch`);
}

/** The data-quality report of a window; `tolerances` override DEFAULT_QUALITY_TOLERANCES one by one. */
export function dataQuality(profile: Profile, window: WindowState, tolerances: Partial<QualityTolerances> = {}): WindowQuality {
  if (window.features.length !== profile.features.length) {
    throw new Error(`window has ${window.features.length} features, profile has ${profile.features.length}`);
  }
  const t: QualityTolerances = { ...DEFAULT_QUALITY_TOLERANCES, ...tolerances };
  const presence = window.presence;
  const features = profile.features.map((feature, i) =>
    featureQuality(feature, window.features[i] as FeatureWindow, presence.absent[i] as number, t),
  );
  const prediction = profile.prediction !== null && window.prediction !== null ? featureQuality(profile.prediction, window.prediction, 0, t) : null;
  const checked = window.rows - presence.uncheckedRows;
  const unknown = check(presence.rowsWithUnknownFeatures, checked, 0, t.rows_with_unknown_features);
  const missingFeatures = check(presence.rowsMissingFeatures, checked, 0, t.rows_missing_features);
  const flaggedFeatures = features.filter((f) => f.flags.length > 0).map((f) => f.feature);
  if (prediction !== null && prediction.flags.length > 0) flaggedFeatures.push("prediction");
  return {
    rows: window.rows,
    checked_rows: checked,
    rows_missing_features: missingFeatures,
    rows_with_unknown_features: { ...unknown, top: topCounts(presence.unknown), untallied: presence.unknownOverflow },
    features,
    prediction,
    flagged_features: flaggedFeatures,
    flagged: flaggedFeatures.length > 0 || missingFeatures.flagged || unknown.flagged,
  };
}
