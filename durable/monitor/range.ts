// Freezing a baseline from a range of production traffic: merge the buckets that
// overlap [from, to) and read a profile off the merged window (stats/profile
// from-window.ts). Minute buckets are used wherever all the minutes the range needs
// are still kept (the last 2 h), so the range is followed to the minute there; older
// parts use hour roll-ups (hour resolution), from memory for the last 25 h and from
// SQLite up to STORE_HOURS_MS back.
//
// Only traffic counted against the current baseline profile has feature windows (a
// baseline change restarts them), so `rows` can be smaller than `events`.
import { profileFromWindow } from "../../stats/profile/from-window.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { Aggregate } from "./aggregate.ts";
import { HOUR, KEEP_HOURS_MS, KEEP_MINUTES_MS, MINUTE, STORE_HOURS_MS, hourOf, minuteOf } from "./buckets.ts";
import type { Buckets } from "./buckets.ts";
import type { MonitorStore } from "./storage.ts";

/** How far back a range may start. */
export const RANGE_RETENTION_MS = STORE_HOURS_MS;

export interface RangeSources {
  buckets: Buckets;
  store: MonitorStore;
  /** When the current baseline was set: no stored window older than this can hold its bins. */
  baselineFrozenAt: number | null;
}

export type RangeProfile =
  | {
      ok: true;
      profile: Profile;
      /** Events the profile summarizes. */
      rows: number;
      /** Events received in the merged buckets, counted against the baseline or not. */
      events: number;
      /** Start of the first and end of the last merged bucket that held counted traffic (Unix ms). */
      coveredFrom: number;
      coveredTo: number;
      /** Buckets merged at each resolution. */
      minutes: number;
      hours: number;
      /** Features left out for lack of a usable value in the range. */
      omitted: string[];
      /** KLL normalized rank error of the numerical bins (0 when exact). */
      rankError: number;
    }
  | { ok: false; reason: "no_baseline" | "no_traffic"; message: string; events: number };

interface Part {
  t: number;
  span: number;
  aggregate: Aggregate;
}

/** The buckets overlapping [from, to), each once, finest resolution available. */
function partsInRange(sources: RangeSources, from: number, to: number, now: number): Part[] {
  const { buckets, store } = sources;
  const parts: Part[] = [];
  const oldestFullMinute = minuteOf(now - KEEP_MINUTES_MS) + MINUTE;
  let stored: Map<number, Aggregate> | undefined;
  const storedHour = (h: number): Aggregate | undefined => {
    if (!stored) {
      stored = new Map();
      // A baseline change empties the windows of every bucket then in memory (the last
      // 25 h); an hour older than that was counted against an older profile, and its
      // window bytes may still decode.
      const stale = (h: number) => sources.baselineFrozenAt === null || h < sources.baselineFrozenAt - KEEP_HOURS_MS;
      for (const row of store.loadBucketsBetween("hours", hourOf(from), to)) {
        if (buckets.hours.has(row.t)) continue;
        const aggregate = Aggregate.fromRow(row, buckets.profile);
        if (stale(row.t)) aggregate.window = null;
        stored.set(row.t, aggregate);
      }
    }
    return stored.get(h);
  };
  const minutesIn = (lo: number, hi: number) => {
    for (const [t, slot] of buckets.minutes) if (t >= minuteOf(lo) && t < hi) parts.push({ t, span: MINUTE, aggregate: slot.aggregate });
  };
  for (let h = hourOf(from); h < to; h += HOUR) {
    const lo = Math.max(from, h);
    const hi = Math.min(to, h + HOUR);
    if (minuteOf(lo) >= oldestFullMinute) {
      minutesIn(lo, hi);
      continue;
    }
    const hour = buckets.hours.get(h)?.aggregate ?? storedHour(h);
    if (hour) parts.push({ t: h, span: HOUR, aggregate: hour });
    else minutesIn(lo, hi); // not rolled up yet: whatever minutes are left
  }
  return parts;
}

/** A profile of the traffic counted in [from, to), Unix ms. */
export function profileForRange(sources: RangeSources, from: number, to: number, now: number): RangeProfile {
  const profile = sources.buckets.profile;
  const parts = partsInRange(sources, from, to, now);
  const events = parts.reduce((n, p) => n + p.aggregate.events, 0);
  if (profile === null) {
    return { ok: false, reason: "no_baseline", events, message: "the monitor has no baseline yet, and traffic is counted only against one: it is still collecting its first events" };
  }
  const counted = parts.filter((p) => p.aggregate.window !== null && p.aggregate.window.rows > 0);
  const merged = Aggregate.mergeAll(profile, counted.map((p) => p.aggregate));
  const window = merged.window;
  if (counted.length === 0 || window === null || window.rows === 0) {
    const since = sources.baselineFrozenAt === null ? "" : ` (traffic before the current baseline, set ${new Date(sources.baselineFrozenAt).toISOString()}, is not counted against it)`;
    return { ok: false, reason: "no_traffic", events, message: `no counted traffic between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}${since}` };
  }
  const { profile: frozen, omitted, rankError } = profileFromWindow(window, { createdAt: new Date(now).toISOString() });
  return {
    ok: true,
    profile: frozen,
    rows: window.rows,
    events,
    coveredFrom: Math.min(...counted.map((p) => p.t)),
    coveredTo: Math.min(now, Math.max(...counted.map((p) => p.t + p.span))),
    minutes: counted.filter((p) => p.span === MINUTE).length,
    hours: counted.filter((p) => p.span === HOUR).length,
    omitted,
    rankError,
  };
}
