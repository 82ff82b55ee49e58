// What one time slice of traffic adds up to: its event count, the feature windows
// (stats/streaming WindowState, once a baseline exists) and a latency sketch. Minute
// buckets, hour roll-ups and the 5m/1h/24h windows are all Aggregates, merged.
import { calibrator } from "../../stats/estimation/calibration.ts";
import { CbpeAccumulator } from "../../stats/estimation/cbpe.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { KllSketch } from "../../stats/sketch/kll.ts";
import { WindowState } from "../../stats/streaming/window.ts";
import { selectedCount, type RowSelection } from "../../stats/streaming/columns.ts";
import type { EventColumns } from "./event-columns.ts";

const LATENCY_K = 200;
/** Probability bins of the label-free estimate's ROC AUC per bucket (|error| is reported). */
const ESTIMATE_BINS = 200;

export interface AggregateRow {
  events: number;
  window: Uint8Array | null;
  latency: Uint8Array | null;
  /** CBPE state (stats/estimation) as JSON; null when no event had a binary prediction and a score. */
  estimate: string | null;
}

/**
 * Whether an event feeds the label-free estimate, and how: a binary prediction (0/1,
 * false/true) with a probability score in [0, 1]. Undefined for anything else.
 */
export function estimateInput(prediction: unknown, score: unknown): { probability: number; predictedPositive: boolean } | undefined {
  if (typeof score !== "number" || !(score >= 0 && score <= 1)) return undefined;
  if (prediction === 1 || prediction === true) return { probability: score, predictedPositive: true };
  if (prediction === 0 || prediction === false) return { probability: score, predictedPositive: false };
  return undefined;
}

export class Aggregate {
  events = 0;
  /** Null for traffic that arrived before the current baseline existed. */
  window: WindowState | null;
  latency: KllSketch | null = null;
  /** Label-free performance estimate (CBPE) of the binary predictions that carried a score. */
  estimate: CbpeAccumulator | null = null;
  /** The baseline's score calibration, when it had labelled scores; raw scores otherwise. */
  #calibrate: ((score: number) => number) | null;

  constructor(profile: Profile | null) {
    this.window = profile ? new WindowState(profile) : null;
    this.#calibrate = profile?.calibration ? calibrator(profile.calibration) : null;
  }

  /**
   * A new baseline: features are counted afresh against it, and scores from now on are
   * calibrated with its map (the estimate so far keeps what it counted).
   */
  useProfile(profile: Profile | null): void {
    this.window = profile ? new WindowState(profile) : null;
    this.#calibrate = profile?.calibration ? calibrator(profile.calibration) : null;
  }

  /** Counts the selected rows of a batch: events, latency and (with a baseline) features. */
  add(batch: EventColumns, rows: RowSelection): void {
    const n = selectedCount(rows, batch.length);
    this.events += n;
    this.window?.updateColumns(batch, rows);
    const scores = batch.scores;
    if (scores !== null) {
      for (let i = 0; i < n; i++) {
        const row = rows === null ? i : (rows[i] as number);
        const input = estimateInput(batch.predictions[row], scores[row]);
        if (input === undefined) continue;
        const probability = this.#calibrate === null ? input.probability : this.#calibrate(input.probability);
        (this.estimate ??= new CbpeAccumulator(ESTIMATE_BINS)).add(probability, input.predictedPositive);
      }
    }
    const latency = batch.latency;
    if (latency === null) return;
    for (let i = 0; i < n; i++) {
      const ms = latency[rows === null ? i : (rows[i] as number)] as number;
      if (ms === ms) (this.latency ??= new KllSketch(LATENCY_K)).update(ms); // NaN: no latency
    }
  }

  /** Counts only the features of rows whose events and latency were counted before a baseline existed. */
  addFeatures(batch: EventColumns, rows: RowSelection): void {
    this.window?.updateColumns(batch, rows);
  }

  merge(other: Aggregate): void {
    this.events += other.events;
    if (this.window && other.window && other.window.profile === this.window.profile) this.window.merge(other.window);
    if (other.latency) (this.latency ??= new KllSketch(LATENCY_K)).merge(other.latency);
    if (other.estimate) (this.estimate ??= new CbpeAccumulator(ESTIMATE_BINS)).merge(other.estimate);
  }

  toRow(): AggregateRow {
    return {
      events: this.events,
      window: this.window?.toBytes() ?? null,
      latency: this.latency?.toBytes() ?? null,
      estimate: this.estimate === null ? null : JSON.stringify(this.estimate.toJSON()),
    };
  }

  /** Reads a stored row; a window stored against another profile is dropped. */
  static fromRow(row: AggregateRow, profile: Profile | null): Aggregate {
    const out = new Aggregate(null);
    out.#calibrate = profile?.calibration ? calibrator(profile.calibration) : null;
    out.events = row.events;
    if (profile && row.window) {
      try {
        out.window = WindowState.fromBytes(row.window, profile);
      } catch {
        out.window = null;
      }
    }
    if (row.latency) out.latency = KllSketch.fromBytes(row.latency);
    if (row.estimate) {
      try {
        out.estimate = CbpeAccumulator.fromJSON(JSON.parse(row.estimate));
      } catch {
        out.estimate = null; // a state this version cannot read is dropped, as a window is
      }
    }
    return out;
  }

  static mergeAll(profile: Profile | null, parts: Iterable<Aggregate | undefined>): Aggregate {
    const out = new Aggregate(profile);
    for (const part of parts) if (part) out.merge(part);
    return out;
  }
}
