// Model metrics by event time, for aligning with business KPIs (GET …/impact). The
// monitor's minute buckets and hour roll-ups already follow each event's own timestamp
// and each label's prediction; this file turns the ones that changed since the last
// outbox row into points the Postgres sink upserts (table monitor_series), so a bucket
// backfilled a day late or labelled a week late ends up with the same point live traffic
// would have given it.
//
// Decisions:
// - Drift is scored on the bucket itself (a minute, or an hour) against the baseline, by
//   the same judge as the live windows (window-view.ts). A minute holds few events, so its
//   drift decisions are noisier: the impact view reads hours unless asked for minutes.
// - The current hour has no roll-up until it ends; its point is merged from its minutes.
// - Hour points carry the whole performance state (stats/perf JSON, about 3 KB with the ROC
//   bins) so days merge exactly; minute points carry only the confusion and regression
//   sums a value needs.
import type { Profile } from "../../stats/profile/schema.ts";
import { Aggregate } from "./aggregate.ts";
import { hourOf, type Buckets } from "./buckets.ts";
import { PerfState } from "./perf.ts";
import { windowView } from "./window-view.ts";

export type SeriesGranularity = "minute" | "hour";

export interface SeriesPoint {
  granularity: SeriesGranularity;
  /** Bucket start, Unix ms. */
  t: number;
  rows: number;
  labeled: number;
  /** Drifted / scored features; null without a baseline or values. */
  drift_share: number | null;
  drifted: string[];
  /** Feature → its deciding score in the bucket. */
  feature_scores: Record<string, number>;
  prediction_score: number | null;
  /** The bucket's realised performance metrics. */
  metrics: Record<string, number>;
  /** Mergeable performance sums (PerfState JSON); minutes keep confusion and regression only. */
  perf: Record<string, unknown>;
}

/** Meta key of the minutes still owed points. */
export const SERIES_PENDING_KEY = "series_pending";

/** At most this many points per outbox row; the rest wait for the next one. */
export const MAX_POINTS_PER_ROW = 500;

function slim(perf: PerfState): Record<string, unknown> {
  const out = new PerfState();
  out.labeled = perf.labeled;
  out.confusion = perf.confusion;
  out.regression = perf.regression;
  return out.toJSON() as unknown as Record<string, unknown>;
}

export function seriesPoint(granularity: SeriesGranularity, t: number, aggregate: Aggregate, perf: PerfState, profile: Profile | null): SeriesPoint {
  // The window name only labels the view; the numbers are the bucket's.
  const view = windowView("1h", t, t, aggregate, perf, profile);
  const feature_scores: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const f of view.features) if (f.score !== null) feature_scores[f.feature] = f.score;
  return {
    granularity, t, rows: aggregate.events, labeled: perf.labeled,
    drift_share: view.driftShare,
    drifted: view.features.filter((f) => f.drifted).map((f) => f.feature),
    feature_scores,
    prediction_score: view.prediction?.score ?? null,
    metrics: view.performance?.metrics ?? {},
    perf: granularity === "hour" ? (perf.toJSON() as unknown as Record<string, unknown>) : slim(perf),
  };
}

/**
 * Minutes whose buckets changed (events counted, labels joined) since the last points were
 * taken. The set is stored with the monitor's meta in the transaction that changed the
 * buckets (`save`), so a restarted object still sends the points it owed.
 */
export class SeriesTracker {
  readonly #minutes: Set<number>;
  #dirty = false;

  constructor(stored: readonly number[] = []) {
    this.#minutes = new Set(stored);
  }

  touch(minute: number): void {
    if (this.#minutes.has(minute)) return;
    this.#minutes.add(minute);
    this.#dirty = true;
  }

  /** The set as stored (meta SERIES_PENDING_KEY), when it changed since the last call; else null. */
  changes(): string | null {
    if (!this.#dirty) return null;
    this.#dirty = false;
    return JSON.stringify([...this.#minutes]);
  }

  /** Owes nothing: a shard's points are its coordinator's to send (shard-coordinator.ts), so its set must not grow. */
  clear(): void {
    if (this.#minutes.size === 0) return;
    this.#minutes.clear();
    this.#dirty = true;
  }

  get pending(): number {
    return this.#minutes.size;
  }

  /** The points of the changed buckets, oldest first; forgets the minutes it returned. */
  take(buckets: Buckets, profile: Profile | null): SeriesPoint[] {
    const minutes = [...this.#minutes].sort((a, b) => a - b);
    const out: SeriesPoint[] = [];
    const hours = new Set<number>();
    for (const m of minutes) {
      if (out.length + hours.size >= MAX_POINTS_PER_ROW) break;
      this.#minutes.delete(m);
      this.#dirty = true;
      const slot = buckets.minutes.get(m);
      if (slot) out.push(seriesPoint("minute", m, slot.aggregate, slot.perf, profile));
      hours.add(hourOf(m));
    }
    for (const h of hours) {
      const rolled = buckets.hours.get(h);
      if (rolled) {
        out.push(seriesPoint("hour", h, rolled.aggregate, rolled.perf, profile));
        continue;
      }
      const parts = [...buckets.minutes].filter(([m]) => hourOf(m) === h).map(([, s]) => s);
      if (parts.length === 0) continue;
      const perf = new PerfState();
      for (const s of parts) perf.merge(s.perf);
      out.push(seriesPoint("hour", h, Aggregate.mergeAll(profile, parts.map((s) => s.aggregate)), perf, profile));
    }
    return out;
  }
}
