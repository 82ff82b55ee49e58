// Segments of a live stream: which slices of traffic get their own windows, and how their
// verdicts add up to one `segment_drift` summary. Pure: the monitor (durable/monitor/
// segment-buckets.ts) keeps the state; this module holds the rules.
//
// A segment is one dimension:value pair (`region:eu`). An event joins one segment per
// dimension it carries (its `segment` map, plus every feature the schema marks as a
// segment key): `{ region: "eu", channel: "web" }` is in `region:eu` and in `channel:web`,
// so per-segment counts add up to more than the events when events carry several
// dimensions. The dimension is everything before the first ':', so a dimension name that
// contains ':' cannot be told apart from its value and is not segmented.
//
// Top-K (rankSegments): full window state is kept only for K tracked segments (K = 20 by
// default, 1 … MAX_TOP_K per version); every segment's event count is kept per minute. The
// tracked set changes only by these rules, applied to the counts of the last 60 minutes:
//   - a segment enters at once while fewer than K are tracked;
//   - otherwise it replaces the smallest tracked segment when its count is larger by more
//     than SWAP_MARGIN (25 %): hysteresis, so two segments of similar volume do not swap
//     back and forth every minute and lose their windows each time;
//   - a tracked segment with no event in the last 60 minutes leaves;
//   - when K is lowered, the smallest leave.
// A segment that leaves loses its windows and counts in `other` from then on; one that
// enters starts with empty windows (`tracked_since` says from when).

/** Default number of tracked segments per version. */
export const DEFAULT_TOP_K = 20;
/** The most a version may track (memory: docs/benchmarks.md, "Segments"). */
export const MAX_TOP_K = 50;
/** A challenger replaces the smallest tracked segment when its count exceeds it by this factor. */
export const SWAP_MARGIN = 1.25;
/** The key of the pooled segment: events with at least one membership outside the tracked set. */
export const OTHER_SEGMENT = "other";
/** Longest dimension and value accepted in a segment key (characters). */
export const MAX_SEGMENT_PART = 200;

export interface SegmentKey {
  dimension: string;
  value: string;
}

export function segmentKey(dimension: string, value: string): string {
  return `${dimension}:${value}`;
}

/**
 * Reads `dimension:value` (as the `segment` query parameter carries it). The error says
 * what is wrong, for a 400 that names the parameter.
 */
export function parseSegmentKey(text: string): SegmentKey | { error: string } {
  const at = text.indexOf(":");
  if (at < 0) return { error: `expected dimension:value (e.g. region:eu), got "${text.slice(0, 60)}"` };
  const dimension = text.slice(0, at);
  const value = text.slice(at + 1);
  if (dimension === "") return { error: "the dimension before ':' is empty" };
  if (value === "") return { error: "the value after ':' is empty" };
  if (dimension.length > MAX_SEGMENT_PART || value.length > MAX_SEGMENT_PART) return { error: `dimension and value are at most ${MAX_SEGMENT_PART} characters each` };
  return { dimension, value };
}

/** Whether a dimension can be part of a key that parses back to it. */
export function segmentableDimension(dimension: string): boolean {
  return dimension !== "" && dimension.length <= MAX_SEGMENT_PART && !dimension.includes(":");
}

export interface TrackedSegment {
  key: string;
  /** Unix ms when it entered the tracked set (its windows hold events since then). */
  since: number;
}

export interface Ranking {
  tracked: TrackedSegment[];
  entered: string[];
  left: string[];
}

/** Larger count first, then key order, so the ranking is deterministic. */
function byCount(counts: ReadonlyMap<string, number>): (a: string, b: string) => number {
  return (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The tracked set after one ranking step (the rules in this file's header). `counts`:
 * events per segment over the last 60 minutes; `k`: how many may be tracked.
 */
export function rankSegments(counts: ReadonlyMap<string, number>, current: readonly TrackedSegment[], k: number, now: number, margin = SWAP_MARGIN): Ranking {
  if (!(Number.isInteger(k) && k >= 0)) throw new Error(`top_k must be a whole number >= 0: ${k}`);
  const order = byCount(counts);
  const left: string[] = [];
  let kept = current.filter((s) => {
    const live = (counts.get(s.key) ?? 0) > 0;
    if (!live) left.push(s.key);
    return live;
  });
  kept.sort((a, b) => order(a.key, b.key));
  while (kept.length > k) left.push(kept.pop()!.key);
  const trackedKeys = new Set(kept.map((s) => s.key));
  const challengers = [...counts.keys()].filter((key) => !trackedKeys.has(key) && (counts.get(key) ?? 0) > 0 && key !== OTHER_SEGMENT).sort(order);
  const entered: string[] = [];
  let next = 0;
  while (kept.length < k && next < challengers.length) {
    const key = challengers[next++]!;
    kept.push({ key, since: now });
    entered.push(key);
  }
  // Swaps: the best challenger against the smallest tracked segment, while it wins by the margin.
  kept.sort((a, b) => order(a.key, b.key));
  while (next < challengers.length && kept.length > 0) {
    const challenger = challengers[next]!;
    const smallest = kept[kept.length - 1]!;
    if ((counts.get(challenger) ?? 0) <= margin * (counts.get(smallest.key) ?? 0)) break;
    kept.pop();
    left.push(smallest.key);
    kept.push({ key: challenger, since: now });
    entered.push(challenger);
    next++;
    kept.sort((a, b) => order(a.key, b.key));
  }
  return { tracked: kept, entered, left };
}

/**
 * The level each segment's features are judged at: α / S over the S segments scored, so
 * that for any one feature the chance that some segment flags it on null data is at most
 * α (Bonferroni), the per-feature control the global windows have. With one segment it is α.
 */
export function segmentAlpha(alpha: number, segments: number): number {
  return alpha / Math.max(1, segments);
}

/** One segment's verdict in a window, as the summary needs it. */
export interface SegmentVerdict {
  key: string;
  rows: number;
  /** Drifted features / scored features; null when nothing was scored. */
  driftShare: number | null;
  driftedFeatures: string[];
}

export interface SegmentDriftSummary {
  /** Segments with at least one drifted feature, most drifted share first. */
  drifting: string[];
  /** Segments scored (tracked segments with events in the window, and `other`). */
  scored: number;
}

/**
 * Names the segments that drift. A segment drifts when any of its features drifts at the
 * segment level (segmentAlpha), so the summary's false alarms per feature stay at α.
 */
export function segmentDriftSummary(verdicts: readonly SegmentVerdict[]): SegmentDriftSummary {
  const scored = verdicts.filter((v) => v.driftShare !== null);
  const drifting = scored
    .filter((v) => v.driftedFeatures.length > 0)
    .sort((a, b) => (b.driftShare ?? 0) - (a.driftShare ?? 0) || (a.key < b.key ? -1 : 1))
    .map((v) => v.key);
  return { drifting, scored: scored.length };
}

/** The fewest reference rows a segment's own baseline needs; below it the segment is scored against the global baseline. */
export const MIN_SEGMENT_BASELINE_ROWS = 500;
/** Own baselines kept per version: those of the largest segments (by reference rows), as many as may be tracked. */
export const MAX_SEGMENT_BASELINES = MAX_TOP_K;
/**
 * Reference grid quantiles of a segment's own baseline (stats/profile/grid.ts), where the
 * global baseline has 1,000. The grid's binning error in KS and Wasserstein is at most 1/B
 * (0.004 here), while a segment baseline's own sampling noise is about 1/√n_ref (0.01 or
 * more up to 10,000 rows), so 250 loses nothing that matters, and halves the decoded
 * baseline (about 1 MB instead of 2 MB at 50 features) and quarters the segment's grid
 * counts (1 KB instead of 4 KB per numerical feature per window).
 */
export const SEGMENT_GRID_BINS = 250;
