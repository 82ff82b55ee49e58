// Per-segment baselines from uploaded reference rows (`{ "rows": [ … ] }`): a row may carry
// `segment` (`{ "region": "eu" }`, as an event does), and every schema feature marked
// `"segment": true` is a dimension too (the row's own map wins for the same dimension). Each
// segment with at least MIN_SEGMENT_BASELINE_ROWS rows gets its own profile, built as the
// global one is; the monitor scores the others against the global baseline
// (durable/monitor/segment-baselines.ts holds the rule, for first-events baselines).
import { buildProfile } from "../../stats/profile/build.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { toCategory } from "../../stats/profile/values.ts";
import { MAX_SEGMENT_BASELINES, MAX_SEGMENT_PART, MIN_SEGMENT_BASELINE_ROWS, SEGMENT_GRID_BINS, segmentableDimension } from "../../stats/streaming/segments.ts";
import { ApiError } from "../errors.ts";
import type { FeatureSpec } from "../registry/feature-schema.ts";

type Row = Record<string, unknown>;

/** The segment keys of one reference row; 400 naming rows[i].segment for a malformed map. */
function keysOf(row: Row, index: number, keyFeatures: readonly string[]): string[] {
  const keys: string[] = [];
  const own = row.segment;
  if (own !== undefined && own !== null) {
    if (typeof own !== "object" || Array.isArray(own)) {
      throw new ApiError(400, "validation_failed", `invalid json: rows.${index}.segment: expected an object of dimension → value`, [{ field: `rows.${index}.segment`, error: "expected an object" }]);
    }
    for (const [dimension, raw] of Object.entries(own as Row)) {
      const value = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? String(raw) : undefined;
      if (value === undefined) {
        throw new ApiError(400, "validation_failed", `invalid json: rows.${index}.segment.${dimension}: expected a string, number or boolean`, [{ field: `rows.${index}.segment.${dimension}`, error: "expected a string, number or boolean" }]);
      }
      if (segmentableDimension(dimension) && value !== "" && value.length <= MAX_SEGMENT_PART) keys.push(`${dimension}:${value}`);
    }
  }
  for (const name of keyFeatures) {
    if (own && typeof own === "object" && Object.hasOwn(own, name)) continue;
    const raw = row[name];
    const value = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? toCategory(raw) : undefined;
    if (value !== undefined && value.length <= MAX_SEGMENT_PART) keys.push(`${name}:${value}`);
  }
  return keys;
}

/** Profiles of the segments with enough rows, keyed `dimension:value`. */
export function segmentProfilesFromRows(rows: readonly Row[], schema: readonly FeatureSpec[], hasPrediction: boolean, minRows = MIN_SEGMENT_BASELINE_ROWS): Record<string, Profile> {
  const keyFeatures = schema.filter((f) => f.segment === true && f.kind === "categorical").map((f) => f.name);
  const bySegment = new Map<string, Row[]>();
  rows.forEach((row, i) => {
    for (const key of keysOf(row, i, keyFeatures)) {
      const list = bySegment.get(key);
      if (list) list.push(row);
      else bySegment.set(key, [row]);
    }
  });
  const out: Record<string, Profile> = {};
  const largest = [...bySegment].filter(([, list]) => list.length >= minRows).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_SEGMENT_BASELINES);
  for (const [key, list] of largest) {
    const profile = buildProfile(list, {
      features: schema.map((f) => ({ name: f.name, kind: f.kind === "numerical" ? "numerical" : "categorical" })),
      ...(hasPrediction ? { prediction: "prediction" } : {}),
      gridBins: SEGMENT_GRID_BINS,
    });
    Object.defineProperty(out, key, { value: profile, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
