// Per-segment baselines: a segment is scored against its own reference when the baseline's
// rows carried that segment at least MIN_SEGMENT_BASELINE_ROWS times (below that, its own
// quantiles and category shares are too noisy to be a reference, and it is scored against
// the global baseline). Built from the first-events baseline's held events here; an
// uploaded baseline's per-segment profiles are built by the Worker from its `segment` column.
import type { Profile } from "../../stats/profile/schema.ts";
import { MAX_SEGMENT_BASELINES, MIN_SEGMENT_BASELINE_ROWS, SEGMENT_GRID_BINS } from "../../stats/streaming/segments.ts";
import type { Column } from "../../stats/streaming/columns.ts";
import { profileFromBatches } from "./auto-baseline.ts";
import type { FeatureSpec } from "./calls.ts";
import type { EventColumns } from "./event-columns.ts";

/** The selected rows of a batch, as a batch of their own (the columns a profile reads). */
export function selectRows(batch: EventColumns, rows: readonly number[]): EventColumns {
  const features: Column[] = batch.features.map((c) =>
    c.kind === "numerical"
      ? { ...c, values: Float64Array.from(rows, (r) => c.values[r] as number) }
      : { ...c, codes: Int32Array.from(rows, (r) => c.codes[r] as number) },
  );
  return {
    length: rows.length,
    features,
    ids: rows.map((r) => batch.ids[r] as string),
    timestamps: Float64Array.from(rows, (r) => batch.timestamps[r] as number),
    predictions: rows.map((r) => batch.predictions[r]!),
    scores: batch.scores === null ? null : rows.map((r) => batch.scores![r] ?? null),
    latency: batch.latency === null ? null : Float64Array.from(rows, (r) => batch.latency![r] as number),
    segments: batch.segments === null ? null : rows.map((r) => batch.segments![r] ?? null),
  };
}

/**
 * A profile per segment with at least `minRows` rows among these batches (`keysOf` gives
 * each row's segment keys), profiled as the global first-events baseline is.
 */
export function segmentProfilesFromBatches(
  batches: readonly EventColumns[],
  keysOf: (batch: EventColumns) => (string[] | null)[] | null,
  features: readonly FeatureSpec[],
  createdAt: number,
  minRows = MIN_SEGMENT_BASELINE_ROWS,
): Map<string, Profile> {
  const rowsBySegment = new Map<string, { batch: number; rows: number[] }[]>();
  const totals = new Map<string, number>();
  batches.forEach((batch, b) => {
    const keys = keysOf(batch);
    if (!keys) return;
    const perBatch = new Map<string, number[]>();
    keys.forEach((rowKeys, r) => {
      for (const key of rowKeys ?? []) {
        const rows = perBatch.get(key);
        if (rows) rows.push(r);
        else perBatch.set(key, [r]);
      }
    });
    for (const [key, rows] of perBatch) {
      const list = rowsBySegment.get(key) ?? [];
      list.push({ batch: b, rows });
      rowsBySegment.set(key, list);
      totals.set(key, (totals.get(key) ?? 0) + rows.length);
    }
  });
  const out = new Map<string, Profile>();
  const largest = [...totals].filter(([, n]) => n >= minRows).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_SEGMENT_BASELINES);
  for (const [key] of largest) {
    const parts = rowsBySegment.get(key)!;
    out.set(key, profileFromBatches(parts.map((p) => selectRows(batches[p.batch]!, p.rows)), features, createdAt, SEGMENT_GRID_BINS));
  }
  return out;
}
