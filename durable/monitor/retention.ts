// Retention in one ModelMonitor: the Worker's policy for this version (workers/retention/)
// arrives by RPC, is kept in meta so the alarm's own pruning follows it between runs,
// and is applied at once. What goes, by store:
//   predictions      label-join blocks whose predictions are all older than raw events
//                    retention (a whole block at a time, as the horizon always pruned),
//                    and older rows of a block that also holds newer ones (blanked in
//                    place, as erasure does), with their label marks
//   actuals          label marks of predictions older than labels retention, with the
//                    prediction they labelled (blanked in place): a re-sent actual for
//                    it answers unmatched rather than counting twice
//   baseline_events  events held for a first-events baseline longer than raw events
//                    retention (a baseline that takes longer to collect is built from
//                    the events still held)
//   hour_aggregates  hour roll-ups older than aggregates retention, and never kept more
//                    than 7 days here (Postgres history is the long-term record)
// Each store follows its own horizon: removing raw events never touches a bucket, and
// minute buckets (2 h) are always younger than the shortest policy (1 day).
import { STORE_HOURS_MS, minuteOf } from "./buckets.ts";
import { blank } from "./erasure.ts";
import type { MonitorStore } from "./storage.ts";

const DAY = 86_400_000;
const META_KEY = "retention";

/** Days per store for this version (its model's overrides over the org's policy). */
export interface MonitorRetention {
  rawEventsDays: number;
  labelsDays: number;
  aggregatesDays: number;
}

export type RetentionStoreName = "predictions" | "actuals" | "baseline_events" | "hour_aggregates";
export type RetentionRemoved = Record<RetentionStoreName, number>;

/** Before any policy arrives: what the object always kept (7 days of predictions, labels and hour roll-ups). */
export const DEFAULT_MONITOR_RETENTION: MonitorRetention = { rawEventsDays: 7, labelsDays: 7, aggregatesDays: 7 };

export function loadRetention(store: MonitorStore): MonitorRetention {
  const text = store.getMeta(META_KEY);
  return text === null ? DEFAULT_MONITOR_RETENTION : { ...DEFAULT_MONITOR_RETENTION, ...(JSON.parse(text) as Partial<MonitorRetention>) };
}

export function saveRetention(store: MonitorStore, policy: MonitorRetention): void {
  store.setMeta(META_KEY, JSON.stringify(policy));
}

/** How far back the label join keeps predictions. */
export const joinHorizonMs = (p: MonitorRetention): number => p.rawEventsDays * DAY;
/** How far back hour roll-ups stay in SQLite. */
export const hoursHorizonMs = (p: MonitorRetention): number => Math.min(p.aggregatesDays * DAY, STORE_HOURS_MS);

/** Applies `p` to the stores; run inside one storage transaction after stored batches were counted. */
export function applyRetention(store: MonitorStore, p: MonitorRetention, now: number): RetentionRemoved {
  const join = store.join;
  const horizon = minuteOf(now - joinHorizonMs(p));
  const predictions = join.prune(horizon);
  // Old rows of blocks that also hold newer ones, and labelled predictions past labels retention.
  const labeled = new Set(join.labeledBefore(minuteOf(now - p.labelsDays * DAY)));
  const oldRows = join.rowsBefore(horizon);
  const actuals = labeled.size + join.labeledAmong(oldRows.filter((loc) => !labeled.has(loc)));
  join.unmarkLabeled([...labeled, ...oldRows]);
  const blanked = blank(join, new Set([...labeled, ...oldRows])).length;
  const baselineEvents = store.pruneReferenceRows(now - joinHorizonMs(p));
  const hours = store.pruneBuckets("hours", now - hoursHorizonMs(p));
  return { predictions: predictions + blanked, actuals, baseline_events: baselineEvents, hour_aggregates: hours };
}
