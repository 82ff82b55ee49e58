// Scored windows of the tracked segments, and the socket's compact summary of them.
// Scoring 21 segments × 3 windows on every 250 ms tick would multiply the tick's cost by
// twenty (and each scoring reads up to 9 minute rows: segment-buckets.ts), so each segment
// is re-scored at most every SEGMENT_REFRESH_MS and at most SEGMENTS_PER_TICK segments per
// tick (oldest first): the summary is at most about 15 s old (20 s on a sharded version,
// whose coordinator copies its shards' segment rows every 5 s: shard-coordinator.ts). GET …/live?segment= scores
// its segment on demand. Each segment's features are judged at α / S over the S segments
// scored (stats/streaming/segments.ts), so the segment_drift summary's false alarms per
// feature stay at the global windows' α.
import { DEFAULT_ALPHA } from "../../stats/streaming/judge.ts";
import { OTHER_SEGMENT, segmentAlpha, segmentDriftSummary } from "../../stats/streaming/segments.ts";
import type { FeatureDrift, SegmentSummary, SegmentsView, WindowName, WindowView } from "../protocol.ts";
import type { SegmentBuckets } from "./segment-buckets.ts";
import { windowView } from "./window-view.ts";

export const SEGMENT_REFRESH_MS = 15_000;
/** Segment windows go to the history sinks at most this often (GET …/metrics?segment=). */
export const SEGMENT_HISTORY_MS = 60_000;
export const SEGMENTS_PER_TICK = 2;
/** The window the socket's segment summary describes. */
export const SUMMARY_WINDOW: WindowName = "1h";
const RATIO_CAP = 99;

interface Scored {
  at: number;
  windows: WindowView[];
}

/** A feature's deciding score relative to its threshold: ≥ 1 exactly when it drifted (protocol.ts segmentSummary). */
export function thresholdRatio(f: FeatureDrift): number | null {
  if (f.score === null) return null;
  let ratio: number;
  if (f.direction === "distance") ratio = f.threshold > 0 ? f.score / f.threshold : f.drifted ? RATIO_CAP : 0;
  else ratio = f.score <= 0 ? RATIO_CAP : Math.log(f.score) / Math.log(f.threshold);
  return Math.round(Math.min(RATIO_CAP, Math.max(0, ratio)) * 1000) / 1000;
}

export class SegmentViews {
  readonly #scored = new Map<string, Scored>();
  #historyAt = 0;

  /**
   * The tracked segments' latest scored windows for the outbox, once per SEGMENT_HISTORY_MS
   * (empty in between): each as scored at most SEGMENT_REFRESH_MS before.
   */
  takeHistory(buckets: SegmentBuckets, now: number): { key: string; windows: WindowView[] }[] {
    if (now - this.#historyAt < SEGMENT_HISTORY_MS) return [];
    const out: { key: string; windows: WindowView[] }[] = [];
    for (const key of buckets.slots.keys()) {
      const scored = this.#scored.get(key);
      if (scored) out.push({ key, windows: scored.windows });
    }
    if (out.length > 0) this.#historyAt = now;
    return out;
  }

  /** The level each segment is judged at now. */
  alpha(buckets: SegmentBuckets): number {
    return segmentAlpha(DEFAULT_ALPHA, buckets.slots.size);
  }

  /** Scores one segment's windows now (null when it is not tracked). */
  score(buckets: SegmentBuckets, key: string, now: number): WindowView[] | null {
    const windows = buckets.windows(key, now);
    const slot = buckets.slots.get(key);
    if (windows === null || slot === undefined) {
      this.#scored.delete(key);
      return null;
    }
    const options = { alpha: this.alpha(buckets) };
    const views = windows.map((w) => windowView(w.name, w.from, now, w.aggregate, w.perf, slot.profile, options));
    this.#scored.set(key, { at: now, windows: views });
    return views;
  }

  /** Re-scores the stalest segments, at most SEGMENTS_PER_TICK; true when any was. */
  refresh(buckets: SegmentBuckets, now: number): boolean {
    for (const key of [...this.#scored.keys()]) if (!buckets.slots.has(key)) this.#scored.delete(key);
    const due = [...buckets.slots.keys()]
      .map((key) => ({ key, at: this.#scored.get(key)?.at ?? -Infinity }))
      .filter((s) => now - s.at >= SEGMENT_REFRESH_MS)
      .sort((a, b) => a.at - b.at)
      .slice(0, SEGMENTS_PER_TICK);
    for (const { key } of due) this.score(buckets, key, now);
    return due.length > 0;
  }

  /** The compact per-segment summary for the sockets; null before any segment is tracked. */
  summary(buckets: SegmentBuckets, featureOrder: readonly string[]): SegmentsView | null {
    if (!buckets.active) return null;
    const items: SegmentSummary[] = [];
    for (const [key, slot] of buckets.slots) {
      const scored = this.#scored.get(key);
      const w = scored?.windows.find((v) => v.window === SUMMARY_WINDOW);
      if (!scored || !w) continue;
      const byName = new Map(w.features.map((f) => [f.feature, f]));
      items.push({
        key,
        rows: w.rows,
        driftShare: w.driftShare,
        driftedFeatures: w.features.filter((f) => f.drifted).map((f) => f.feature),
        ratios: featureOrder.map((name) => {
          const f = byName.get(name);
          return f ? thresholdRatio(f) : null;
        }),
        baseline: slot.ownBaseline ? "segment" : "global",
        since: slot.since,
        computedAt: scored.at,
      });
    }
    items.sort((a, b) => (a.key === OTHER_SEGMENT ? 1 : b.key === OTHER_SEGMENT ? -1 : b.rows - a.rows || (a.key < b.key ? -1 : 1)));
    return {
      window: SUMMARY_WINDOW,
      topK: buckets.settings.topK,
      alpha: this.alpha(buckets),
      items,
      segment_drift: segmentDriftSummary(items.map((i) => ({ key: i.key, rows: i.rows, driftShare: i.rows > 0 ? i.driftShare : null, driftedFeatures: i.driftedFeatures }))),
    };
  }
}
