// Rows kept for the multivariate scores (stats/multivariate), which need features
// together, not one column at a time:
//
// - the reference: a uniform sample (up to JOINT_ROWS, seeded) of the baseline's own rows:
//   the frozen first events, or the rows of an uploaded dataset; stored with the baseline.
//   A baseline that came with no rows (a profile, or a frozen production range) takes the
//   first JOINT_ROWS rows counted after it was set, and says so (`reference: "after_baseline"`).
// - the current rows: the most recent JOINT_ROWS, in memory (a restarted object refills it
//   from traffic; the section reports how many rows it used). At high event rates rows are
//   kept at random with the probability that makes the ring span about the recompute
//   period (monitor.ts), so the scores describe the last half minute, not the last 50 ms.
//
// Only feature values are kept: no prediction id, timestamp or subject, so these rows are
// not linkable to a person (docs/compliance.md), like the raw values a KLL sketch samples.

import type { RawValue } from "../../stats/drift/types.ts";
import { mulberry32 } from "../../stats/multivariate/rows.ts";
import { rawCell } from "../../stats/streaming/columns.ts";
import type { FeatureSpec } from "./calls.ts";
import type { EventColumns } from "./event-columns.ts";

export const JOINT_ROWS = 5_000;

/** Feature name → values, one per row, all of one length. */
export type JointColumns = Record<string, RawValue[]>;

/** The batch's column for each feature (undefined when the batch lacks it), looked up once per batch. */
function columnsFor(batch: EventColumns, features: readonly FeatureSpec[]) {
  return features.map((f) => batch.features.find((c) => c.name === f.name));
}

function cells(columns: ReturnType<typeof columnsFor>, row: number): RawValue[] {
  return columns.map((column) => (column === undefined ? null : rawCell(column, row)));
}

/** The most recent `capacity` rows, oldest first. */
export class RecentRows {
  readonly #capacity: number;
  #rows: RawValue[][] = [];
  #next = 0;
  #features: readonly FeatureSpec[] = [];
  readonly #random = mulberry32(0x5eed);

  constructor(capacity = JOINT_ROWS) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#rows.length;
  }

  get full(): boolean {
    return this.#rows.length >= this.#capacity;
  }

  /**
   * Adds a batch's rows, the newest replacing the oldest once full (`keepFirst`: ignored
   * once full instead); a change of feature list starts over. Each row is kept with
   * probability `keep` (thinning: at high event rates the ring then spans a useful stretch
   * of time, and the ingest path reads only the rows it keeps).
   */
  add(batch: EventColumns, features: readonly FeatureSpec[], keepFirst = false, keep = 1): void {
    if (features !== this.#features && JSON.stringify(features) !== JSON.stringify(this.#features)) this.clear(features);
    const columns = columnsFor(batch, features);
    // Rows between two kept ones are geometric with parameter `keep`: drawn once per kept
    // row rather than a coin per row.
    const gap = () => (keep >= 1 ? 0 : Math.floor(Math.log(1 - this.#random()) / Math.log(1 - keep)));
    for (let row = gap(); row < batch.length; row += 1 + gap()) {
      if (keepFirst && this.full) return;
      const values = cells(columns, row);
      if (this.#rows.length < this.#capacity) this.#rows.push(values);
      else this.#rows[this.#next] = values;
      this.#next = (this.#next + 1) % this.#capacity;
    }
  }

  clear(features: readonly FeatureSpec[] = this.#features): void {
    this.#rows = [];
    this.#next = 0;
    this.#features = features;
  }

  columns(): JointColumns {
    const ordered = this.#rows.length < this.#capacity ? this.#rows : [...this.#rows.slice(this.#next), ...this.#rows.slice(0, this.#next)];
    return toColumns(this.#features, ordered);
  }
}

/** A uniform sample of up to `cap` rows of the batches (reservoir sampling, Vitter's Algorithm R), in arrival order. */
export function sampleBatches(batches: readonly EventColumns[], features: readonly FeatureSpec[], cap = JOINT_ROWS, seed = 0x5eed): JointColumns {
  const next = mulberry32(seed);
  const kept: Array<{ order: number; values: RawValue[] }> = [];
  let seen = 0;
  for (const batch of batches) {
    const columns = columnsFor(batch, features);
    for (let row = 0; row < batch.length; row++, seen++) {
      if (kept.length < cap) kept.push({ order: seen, values: cells(columns, row) });
      else {
        const slot = Math.floor(next() * (seen + 1));
        if (slot < cap) kept[slot] = { order: seen, values: cells(columns, row) };
      }
    }
  }
  kept.sort((a, b) => a.order - b.order);
  return toColumns(features, kept.map((k) => k.values));
}

function toColumns(features: readonly FeatureSpec[], rows: readonly RawValue[][]): JointColumns {
  const out: JointColumns = Object.create(null) as JointColumns;
  features.forEach((f, i) => (out[f.name] = rows.map((row) => row[i] ?? null)));
  return out;
}

/** Rows in a JointColumns. */
export function jointRowCount(columns: JointColumns): number {
  const first = Object.values(columns)[0];
  return first === undefined ? 0 : first.length;
}
