// The time buckets of one monitor, in memory and in storage: 1-minute buckets for the
// last two hours, hour roll-ups for the last 25 hours, and their performance states.
// Hour roll-ups stay in SQLite for 7 days and are read from there only on demand
// (freezing a baseline from a past range, range.ts).
// Windows are merged from them:
//   5m  = the current minute and the 4 before it
//   1h  = the current minute and the 59 before it
//   24h = the current clock hour so far and the 23 hours before it
// The closed part of each window only changes when the minute turns, so it is merged
// once a minute and cached; a tick merges the cache with the open minute (the
// performance parts are cheap and re-merged whenever an actual lands).
import type { Profile } from "../../stats/profile/schema.ts";
import type { WindowName } from "../protocol.ts";
import { Aggregate } from "./aggregate.ts";
import { PerfState } from "./perf.ts";
import type { BucketTable, MonitorStore } from "./storage.ts";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const KEEP_MINUTES_MS = 2 * HOUR;
/** Hour roll-ups held in memory (the 24h window and its current hour). */
export const KEEP_HOURS_MS = 25 * HOUR;
/** Hour roll-ups kept in SQLite, for freezing a baseline from past traffic (range.ts): the 7-day label-join horizon. */
export const STORE_HOURS_MS = 7 * 24 * HOUR;

export const minuteOf = (t: number) => Math.floor(t / MINUTE) * MINUTE;
export const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;

export interface Slot {
  aggregate: Aggregate;
  perf: PerfState;
}

export interface MergedWindow {
  name: WindowName;
  from: number;
  aggregate: Aggregate;
  perf: PerfState;
}

interface ClosedCache {
  minute: number;
  closed5: Aggregate;
  closed59: Aggregate;
  hourSoFar: Aggregate;
  closedDay: Aggregate;
}

export class Buckets {
  profile: Profile | null;
  readonly minutes = new Map<number, Slot>();
  readonly hours = new Map<number, Slot>();
  readonly #dirty = { minutes: new Set<number>(), hours: new Set<number>() };
  #cache: ClosedCache | null = null;
  /** How long hour roll-ups stay in SQLite: the version's aggregates retention, at most STORE_HOURS_MS (retention.ts). */
  storeHoursMs = STORE_HOURS_MS;
  /** Told of each bucket written by persist (a shard's change log for its coordinator, shard-log.ts). */
  onPersist: ((table: BucketTable, t: number) => void) | null = null;

  constructor(profile: Profile | null) {
    this.profile = profile;
  }

  load(store: MonitorStore, now: number): void {
    this.minutes.clear();
    this.hours.clear();
    this.#cache = null;
    for (const [table, map, keep] of [["minutes", this.minutes, KEEP_MINUTES_MS], ["hours", this.hours, KEEP_HOURS_MS]] as const) {
      for (const row of store.loadBuckets(table, now - keep)) {
        map.set(row.t, { aggregate: Aggregate.fromRow(row, this.profile), perf: PerfState.fromJSON(row.perf === null ? null : JSON.parse(row.perf)) });
      }
    }
  }

  /**
   * The aggregates events stamped `t` count in at time `now` (windows are by prediction
   * time, not arrival): their minute bucket while minutes are kept, plus their hour
   * roll-up once that hour has one (a finished hour is rolled up once, so later
   * arrivals go into it directly); the hour roll-up alone for events older than the
   * kept minutes; nothing for events older than the hours the 24h window reads.
   */
  aggregatesFor(t: number, now: number): Aggregate[] {
    const m = minuteOf(t);
    const h = hourOf(t);
    const out: Aggregate[] = [];
    if (m >= now - KEEP_MINUTES_MS) {
      let slot = this.minutes.get(m);
      if (!slot) {
        slot = { aggregate: new Aggregate(this.profile), perf: new PerfState() };
        this.minutes.set(m, slot);
      }
      this.#dirty.minutes.add(m);
      out.push(slot.aggregate);
    }
    let hour = this.hours.get(h);
    // An event older than the kept minutes belongs to a finished hour: roll that hour up
    // now (from whatever minutes of it are still kept) so roll() never merges it twice.
    if (!hour && out.length === 0 && h >= now - KEEP_HOURS_MS) hour = this.#rollUp(h);
    if (hour) {
      this.#dirty.hours.add(h);
      out.push(hour.aggregate);
    }
    if (this.#cache && m < this.#cache.minute) this.#cache = null;
    return out;
  }

  /** The performance states a prediction stamped in minute `m` counts in (its minute and its hour roll-up). */
  perfFor(m: number): PerfState[] {
    const out: PerfState[] = [];
    const slot = this.minutes.get(m);
    if (slot) {
      out.push(slot.perf);
      this.#dirty.minutes.add(m);
    }
    const hour = this.hours.get(hourOf(m));
    if (hour) {
      out.push(hour.perf);
      this.#dirty.hours.add(hourOf(m));
    }
    return out;
  }

  /** A new baseline: feature windows restart from empty (old ones were counted on other bins). */
  setProfile(profile: Profile | null): void {
    this.profile = profile;
    for (const [t, slot] of this.minutes) {
      slot.aggregate.useProfile(profile);
      this.#dirty.minutes.add(t);
    }
    for (const [t, slot] of this.hours) {
      slot.aggregate.window = null;
      this.#dirty.hours.add(t);
    }
    this.#cache = null;
  }

  /** Creates hour `h`'s roll-up from its minutes in memory (none for late traffic whose minutes are gone). */
  #rollUp(h: number): Slot {
    const slots = [...this.minutes].filter(([m]) => hourOf(m) === h).map(([, s]) => s);
    const perf = new PerfState();
    for (const s of slots) perf.merge(s.perf);
    const hour = { aggregate: Aggregate.mergeAll(this.profile, slots.map((s) => s.aggregate)), perf };
    this.hours.set(h, hour);
    this.#dirty.hours.add(h);
    return hour;
  }

  /** Rolls finished hours up, forgets old buckets; run at least once a minute. */
  roll(now: number, store: MonitorStore): void {
    const currentHour = hourOf(now);
    const finished = new Set<number>();
    for (const m of this.minutes.keys()) if (hourOf(m) < currentHour && !this.hours.has(hourOf(m))) finished.add(hourOf(m));
    for (const h of finished) this.#rollUp(h);
    for (const m of [...this.minutes.keys()]) if (m < now - KEEP_MINUTES_MS) this.minutes.delete(m);
    for (const h of [...this.hours.keys()]) if (h < now - KEEP_HOURS_MS) this.hours.delete(h);
    store.pruneBuckets("minutes", now - KEEP_MINUTES_MS);
    store.pruneBuckets("hours", now - this.storeHoursMs);
  }

  /** Writes changed buckets; call inside the transaction that consumed their input. */
  persist(store: MonitorStore): void {
    for (const table of ["minutes", "hours"] as const satisfies readonly BucketTable[]) {
      const map = table === "minutes" ? this.minutes : this.hours;
      for (const t of this.#dirty[table]) {
        const slot = map.get(t);
        if (slot) store.saveBucket(table, { t, ...slot.aggregate.toRow(), perf: JSON.stringify(slot.perf.toJSON()) });
        if (slot) this.onPersist?.(table, t);
      }
      this.#dirty[table].clear();
    }
  }

  /**
   * Puts in a slot merged elsewhere (a sharded version's coordinator, shard-merge.ts), or
   * removes it; a closed minute or hour drops the cached closed part of the windows.
   */
  replace(table: BucketTable, t: number, slot: Slot | null): void {
    const map = table === "minutes" ? this.minutes : this.hours;
    if (slot === null) map.delete(t);
    else map.set(t, slot);
    if (this.#cache && (table === "hours" || t < this.#cache.minute)) this.#cache = null;
  }

  #closed(m: number): ClosedCache {
    if (this.#cache?.minute === m) return this.#cache;
    const h = hourOf(m);
    const minutesIn = (from: number, to: number) => {
      const out: Aggregate[] = [];
      for (const [t, s] of this.minutes) if (t >= from && t < to) out.push(s.aggregate);
      return out;
    };
    const hoursIn = (from: number, to: number) => {
      const out: Aggregate[] = [];
      for (const [t, s] of this.hours) if (t >= from && t < to) out.push(s.aggregate);
      return out;
    };
    this.#cache = {
      minute: m,
      closed5: Aggregate.mergeAll(this.profile, minutesIn(m - 4 * MINUTE, m)),
      closed59: Aggregate.mergeAll(this.profile, minutesIn(m - 59 * MINUTE, m)),
      hourSoFar: Aggregate.mergeAll(this.profile, minutesIn(h, m)),
      closedDay: Aggregate.mergeAll(this.profile, hoursIn(h - 23 * HOUR, h)),
    };
    return this.#cache;
  }

  #perf(from: number, to: number, hoursFrom?: number): PerfState {
    const out = new PerfState();
    for (const [t, s] of this.minutes) if (t >= from && t <= to) out.merge(s.perf);
    if (hoursFrom !== undefined) for (const [t, s] of this.hours) if (t >= hoursFrom && t < from) out.merge(s.perf);
    return out;
  }

  /** The three live windows at time `now`. */
  windows(now: number): MergedWindow[] {
    const m = minuteOf(now);
    const h = hourOf(m);
    const closed = this.#closed(m);
    const open = this.minutes.get(m)?.aggregate;
    return [
      { name: "5m", from: m - 4 * MINUTE, aggregate: Aggregate.mergeAll(this.profile, [closed.closed5, open]), perf: this.#perf(m - 4 * MINUTE, m) },
      { name: "1h", from: m - 59 * MINUTE, aggregate: Aggregate.mergeAll(this.profile, [closed.closed59, open]), perf: this.#perf(m - 59 * MINUTE, m) },
      {
        name: "24h", from: h - 23 * HOUR,
        aggregate: Aggregate.mergeAll(this.profile, [closed.closedDay, closed.hourSoFar, open]),
        perf: this.#perf(h, m, h - 23 * HOUR),
      },
    ];
  }

  /** Events per minute (by prediction time) over the last hour, oldest first. */
  volume(now: number, span = HOUR): { t: number; events: number }[] {
    return [...this.minutes]
      .filter(([t]) => t > now - span)
      .sort(([a], [b]) => a - b)
      .map(([t, s]) => ({ t, events: s.aggregate.events }));
  }
}
