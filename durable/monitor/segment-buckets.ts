// Per-segment windows of one monitor (the rules: stats/streaming/segments.ts).
//
// Every segment's event count is kept per minute for the last hour (segment_counts), so the
// top-K can be ranked from counts; full window state (an Aggregate: feature windows on the
// segment's baseline, latency, label-free estimate, and performance) is kept only for the
// tracked segments and `other`. Their buckets live in SQLite (segment-store.ts), and memory
// holds at most four Aggregates per segment, whatever the traffic:
//   open          the current minute (persisted with every fold, like a global minute)
//   closedBlocks  the 5 closed 10-minute blocks before the current one   (merged once per block)
//   hourBlocks    the current clock hour's closed blocks                  (merged once per block)
//   closedDay     the 23 closed hours before the current one              (merged once per hour)
// and the minutes in between are read from their rows when the segment is scored (≤ 9 rows):
//   5m  = the 4 closed minutes before the open one + open
//   1h  = closedBlocks + the current block's closed minutes + open
//   24h = closedDay + hourBlocks + the current block's closed minutes + open
// so a segment's 1h window covers the last 50 to 60 minutes (whole 10-minute blocks), where
// the global one covers exactly 60, and its 24h window is the global one's. Rows merge
// exactly (integer counts) or within the sketches' guarantees, as the global buckets do.
// In SQLite a minute row keeps its window state for 11 minutes (then only its performance,
// for 2 hours), a block row for 70 minutes, an hour row for 25 hours; the open minute's row
// is rewritten with every fold that counted into it, as a global minute's is.
//
// A segment's features count in the minute the monitor counts them (its arrival minute at
// the latest), not in an earlier event-time minute whose segment rows are already closed;
// the global windows stay by event time. Performance is by the prediction's event minute,
// as globally: per segment, by minute for 2 hours and by hour for 25 hours.
//
// Memberships (an event is in one segment per dimension): each tracked one counts in its
// segment; an event with at least one membership outside the tracked set counts once in
// `other`. An event with no segment counts in the global windows only.
//
// A sharded version (issue 23, docs/architecture.md "Sharded monitors"): the coordinator
// ranks on every shard's counts and its windows read its shards' rows too (`remote`); a
// shard follows the coordinator's tracked set (`following`, `follow`) and admits a new
// segment on its own only while a slot is free, which the coordinator then takes
// (`adoptShardSegments`).
import { readProfile } from "../../stats/profile/io.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { DEFAULT_TOP_K, OTHER_SEGMENT, rankSegments, type TrackedSegment } from "../../stats/streaming/segments.ts";
import type { WindowName } from "../protocol.ts";
import { Aggregate } from "./aggregate.ts";
import { segmentKeysOf } from "./segment-keys.ts";
import { type SegmentCaches, SegmentSlot } from "./segment-slot.ts";
import { HOUR, MINUTE, hourOf, minuteOf } from "./buckets.ts";
import type { EventColumns } from "./event-columns.ts";
import { PerfState } from "./perf.ts";
import type { SegmentShardCopies } from "./segment-shard-copies.ts";
import type { SegmentLevel, SegmentStore } from "./segment-store.ts";
import type { MonitorStore } from "./storage.ts";

export const BLOCK = 10 * MINUTE;
export const blockOf = (t: number) => Math.floor(t / BLOCK) * BLOCK;
/** Minute rows keep their window state this long (the 5m window and the current block read them), then only their performance. */
const MINUTE_STATE_MS = 11 * MINUTE;
/** Distinct segments counted per minute: past it a new key that minute counts only in `other` (and cannot rank). */
export const MAX_COUNTED_SEGMENTS = 1_000;
const PERF_MINUTES_MS = 2 * HOUR;
const PERF_HOURS_MS = 25 * HOUR;
const TRACKED_KEY = "segments_tracked";
const SETTINGS_KEY = "segments_settings";

export interface SegmentSettings {
  /** Segments tracked with full windows (the version's `segments.top_k`). */
  topK: number;
  /** Categorical features the schema marks `"segment": true`: their value is a segment dimension. */
  keyFeatures: string[];
}

export const DEFAULT_SEGMENT_SETTINGS: SegmentSettings = { topK: DEFAULT_TOP_K, keyFeatures: [] };

export interface SegmentWindow {
  name: WindowName;
  from: number;
  aggregate: Aggregate;
  perf: PerfState;
}

export class SegmentBuckets {
  readonly #monitor: MonitorStore;
  readonly #store: SegmentStore;
  settings: SegmentSettings;
  #profile: Profile | null;
  /** Own baselines of the tracked segments only (the rest stay in SQLite: a decoded 50-feature profile is about 1.7 MB). */
  readonly #profiles = new Map<string, Profile>();
  readonly slots = new Map<string, SegmentSlot>();
  /** Per minute of the last hour, events per segment key. */
  readonly #counts = new Map<number, Map<string, number>>();
  readonly #dirtyCounts = new Set<number>();
  #trackedChanged = false;
  /**
   * A sharded version's coordinator: its shards' rows and counts (segment-shard-copies.ts),
   * read with its own into every window and ranking.
   */
  remote: SegmentShardCopies | null = null;
  /**
   * A sharded version's shard: the coordinator ranks (on every shard's counts) and hands its
   * tracked set over with each pull (follow); this object only admits a new segment at once
   * while a slot is free, as a single object does, and reports it to the coordinator.
   */
  following = false;

  constructor(monitor: MonitorStore, profile: Profile | null, now: number) {
    this.#monitor = monitor;
    this.#store = monitor.segments;
    this.#profile = profile;
    const settings = monitor.getMeta(SETTINGS_KEY);
    this.settings = settings === null ? { ...DEFAULT_SEGMENT_SETTINGS } : (JSON.parse(settings) as SegmentSettings);
    const tracked = JSON.parse(monitor.getMeta(TRACKED_KEY) ?? "[]") as TrackedSegment[];
    const m = minuteOf(now);
    for (const s of [...tracked, ...(tracked.length > 0 ? [{ key: OTHER_SEGMENT, since: tracked[0]!.since }] : [])]) {
      const slot = this.#newSlot(s.key, s.since, m);
      // The latest stored minute is the open one (or, after a quiet spell, the one to close first).
      const last = this.#store.buckets(s.key, "m", m - PERF_MINUTES_MS, m + MINUTE).at(-1);
      if (last) {
        slot.minute = last.t;
        slot.open = Aggregate.fromRow(last, slot.profile);
      }
      this.slots.set(s.key, slot);
    }
    for (const level of ["m", "h"] as const) {
      const from = now - (level === "m" ? PERF_MINUTES_MS : PERF_HOURS_MS);
      for (const row of this.#store.perfSince(level, from)) {
        const slot = this.slots.get(row.segment);
        if (slot) (level === "m" ? slot.perfMinutes : slot.perfHours).set(row.t, PerfState.fromJSON(JSON.parse(row.perf)));
      }
    }
    for (const { t, counts } of this.#store.counts(m - HOUR)) this.#counts.set(t, counts);
  }

  /** Tracked segments (without `other`), largest first by last-hour count. */
  tracked(): TrackedSegment[] {
    return [...this.slots.values()].filter((s) => s.key !== OTHER_SEGMENT).map((s) => ({ key: s.key, since: s.since }));
  }

  /** Whether any segment has been seen (no segment state is kept before). */
  get active(): boolean {
    return this.slots.size > 0;
  }

  /** The version's settings, as the Worker sends them with each batch; a smaller top_k applies at the next ranking. */
  configure(settings: SegmentSettings): void {
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
    this.settings = settings;
    this.#monitor.setMeta(SETTINGS_KEY, JSON.stringify(settings));
  }

  #profileOf(key: string): { profile: Profile | null; own: boolean } {
    if (key === OTHER_SEGMENT || this.#profile === null) return { profile: this.#profile, own: false };
    let own = this.#profiles.get(key);
    if (own === undefined) {
      const stored = this.#store.profile(key);
      if (stored !== null) this.#profiles.set(key, (own = readProfile(stored)));
    }
    return own ? { profile: own, own: true } : { profile: this.#profile, own: false };
  }

  #newSlot(key: string, since: number, minute: number): SegmentSlot {
    const { profile, own } = this.#profileOf(key);
    return new SegmentSlot(key, since, minute, profile, own);
  }

  /**
   * A new baseline (global and per-segment profiles): segment windows restart from empty,
   * on the new bins; the tracked set and the counts stay.
   */
  setProfiles(profile: Profile | null, segmentProfiles: ReadonlyMap<string, Profile>, now: number): void {
    this.#profile = profile;
    this.#profiles.clear();
    this.#store.saveProfiles(new Map([...segmentProfiles].map(([k, p]) => [k, JSON.stringify(p)])));
    this.#store.dropAllBuckets();
    this.remote?.dropAllBuckets();
    const m = minuteOf(now);
    for (const [key, old] of this.slots) this.slots.set(key, this.#newSlot(key, old.since, m));
  }

  /** The segment keys of each row: its own `segment` map, then the schema's segment-key features it lacks (segment-keys.ts). */
  keysOf(batch: EventColumns): (string[] | null)[] | null {
    return segmentKeysOf(batch, this.settings.keyFeatures);
  }

  /**
   * Counts a batch's rows into their segments at time `now` (keys from keysOf). A segment
   * is tracked at once while fewer than top_k are.
   */
  count(batch: EventColumns, keys: readonly (string[] | null)[], now: number): void {
    const m = minuteOf(now);
    let minuteCounts = this.#counts.get(m);
    const bySegment = new Map<string, number[]>();
    const other: number[] = [];
    for (let r = 0; r < keys.length; r++) {
      const rowKeys = keys[r];
      if (!rowKeys) continue;
      let outside = false;
      for (const key of rowKeys) {
        minuteCounts ??= this.#countsAt(m);
        const n = minuteCounts.get(key);
        if (n !== undefined) minuteCounts.set(key, n + 1);
        else if (minuteCounts.size < MAX_COUNTED_SEGMENTS) minuteCounts.set(key, 1);
        let rows = bySegment.get(key);
        if (rows === undefined) {
          if (!this.slots.has(key) && !this.#admit(key, now)) {
            outside = true;
            continue;
          }
          rows = [];
          bySegment.set(key, rows);
        }
        rows.push(r);
      }
      if (outside) other.push(r);
    }
    if (minuteCounts) this.#dirtyCounts.add(m);
    for (const [key, rows] of bySegment) this.#addRows(key, batch, rows, m, now);
    if (other.length > 0) this.#addRows(OTHER_SEGMENT, batch, other, m, now);
  }

  #countsAt(m: number): Map<string, number> {
    const counts = new Map<string, number>();
    this.#counts.set(m, counts);
    return counts;
  }

  /** Tracks `key` now when a slot is free. */
  #admit(key: string, now: number): boolean {
    if (key === OTHER_SEGMENT || this.slots.size - (this.slots.has(OTHER_SEGMENT) ? 1 : 0) >= this.settings.topK) return false;
    const m = minuteOf(now);
    this.slots.set(key, this.#newSlot(key, now, m));
    if (!this.slots.has(OTHER_SEGMENT)) this.slots.set(OTHER_SEGMENT, this.#newSlot(OTHER_SEGMENT, now, m));
    this.#trackedChanged = true;
    return true;
  }

  #addRows(key: string, batch: EventColumns, rows: number[], m: number, now: number): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = this.#newSlot(key, now, m);
      this.slots.set(key, slot);
    }
    this.#advance(slot, m);
    slot.open.add(batch, Int32Array.from(rows));
    slot.dirty = true;
  }

  /**
   * Moves a slot's open minute to `m`: the closed minute is stored, and a finished
   * 10-minute block or hour gets its roll-up row (merged from the rows below it).
   */
  #advance(slot: SegmentSlot, m: number): void {
    if (slot.minute === m) return;
    const closed = slot.minute;
    if (slot.dirty) this.#saveOpen(slot);
    if (closed < m) {
      const b = blockOf(closed);
      if (b < blockOf(m)) this.#rollUp(slot, "b", b, "m", BLOCK);
      const h = hourOf(closed);
      if (h < hourOf(m)) {
        this.#rollUp(slot, "h", h, "b", HOUR);
        const perf = new PerfState();
        for (const [t, p] of slot.perfMinutes) if (hourOf(t) === h) perf.merge(p);
        slot.perfHours.set(h, perf);
        slot.dirtyPerf.add(`h:${h}`);
      }
    }
    slot.minute = m;
    slot.open = new Aggregate(slot.profile);
    slot.dirty = false;
  }

  #rollUp(slot: SegmentSlot, level: SegmentLevel, t: number, from: SegmentLevel, span: number): void {
    const rows = this.#store.buckets(slot.key, from, t, t + span);
    if (rows.length === 0) return;
    const merged = Aggregate.mergeAll(slot.profile, rows.map((r) => Aggregate.fromRow(r, slot.profile)));
    const perf = level === "h" ? slot.perfHours.get(t) : undefined;
    this.#store.save({ segment: slot.key, level, t, ...merged.toRow(), perf: perf ? JSON.stringify(perf.toJSON()) : null });
  }

  #saveOpen(slot: SegmentSlot): void {
    const perf = slot.perfMinutes.get(slot.minute);
    this.#store.save({ segment: slot.key, level: "m", t: slot.minute, ...slot.open.toRow(), perf: perf ? JSON.stringify(perf.toJSON()) : null });
    slot.dirtyPerf.delete(`m:${slot.minute}`);
  }

  /**
   * The performance states a labelled prediction counts in: for each of its segments that is
   * tracked now, that segment's minute (and hour roll-up); `other` once if any is not.
   */
  perfFor(keys: readonly string[], minute: number, now: number): PerfState[] {
    const out: PerfState[] = [];
    let outside = false;
    for (const key of keys) {
      const slot = this.slots.get(key);
      if (slot) this.#perfOf(slot, minute, now, out);
      else outside = true;
    }
    const other = this.slots.get(OTHER_SEGMENT);
    if (outside && other) this.#perfOf(other, minute, now, out);
    return out;
  }

  #perfOf(slot: SegmentSlot, minute: number, now: number, out: PerfState[]): void {
    if (minute >= now - PERF_MINUTES_MS) {
      let perf = slot.perfMinutes.get(minute);
      if (!perf) slot.perfMinutes.set(minute, (perf = new PerfState()));
      out.push(perf);
      slot.dirtyPerf.add(`m:${minute}`);
    }
    const h = hourOf(minute);
    const hour = slot.perfHours.get(h);
    if (hour) {
      out.push(hour);
      slot.dirtyPerf.add(`h:${h}`);
    }
  }

  /** Writes what changed: open minutes, performance, counts, the tracked set. Inside the transaction that counted them. */
  persist(): void {
    for (const slot of this.slots.values()) {
      if (slot.dirty) {
        this.#saveOpen(slot);
        slot.dirty = false;
      }
      for (const entry of slot.dirtyPerf) {
        const level = entry.slice(0, 1) as SegmentLevel;
        const t = Number(entry.slice(2));
        const perf = (level === "m" ? slot.perfMinutes : slot.perfHours).get(t);
        if (perf) this.#store.savePerf(slot.key, level, t, JSON.stringify(perf.toJSON()));
      }
      slot.dirtyPerf.clear();
    }
    for (const m of this.#dirtyCounts) {
      const counts = this.#counts.get(m);
      if (counts) this.#store.saveCounts(m, counts);
    }
    this.#dirtyCounts.clear();
    if (this.#trackedChanged) {
      this.#monitor.setMeta(TRACKED_KEY, JSON.stringify(this.tracked()));
      this.#trackedChanged = false;
    }
  }

  /** Events per segment over the last hour (the ranking's input). */
  hourCounts(now: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [t, counts] of this.#counts) {
      if (t <= minuteOf(now) - HOUR) continue;
      for (const [key, n] of counts) out.set(key, (out.get(key) ?? 0) + n);
    }
    this.remote?.addCounts(out, minuteOf(now) - HOUR);
    return out;
  }

  /** One minute's counts (a shard's pull sends the changed ones). */
  countsAt(t: number): ReadonlyMap<string, number> | undefined {
    return this.#counts.get(t);
  }

  /** Every minute's counts held (the last hour's). */
  allCounts(): { t: number; counts: ReadonlyMap<string, number> }[] {
    return [...this.#counts].map(([t, counts]) => ({ t, counts }));
  }

  /** Moves every slot to the current minute (a shard before its pull: finished blocks and hours get their rows). */
  advanceAll(now: number): void {
    const m = minuteOf(now);
    for (const slot of this.slots.values()) this.#advance(slot, m);
  }

  /**
   * A shard takes its coordinator's tracked set: its segments get slots (empty from now,
   * as on the coordinator when they entered), and a segment this shard tracks outside it
   * goes, once `known` says the coordinator has seen it (and so chose not to track it);
   * one not yet reported stays until the coordinator decides. Inside a transaction.
   */
  follow(set: readonly TrackedSegment[], known: (key: string) => boolean, now: number): void {
    const m = minuteOf(now);
    const keys = new Set(set.map((s) => s.key));
    for (const key of [...this.slots.keys()]) {
      if (key === OTHER_SEGMENT || keys.has(key) || !known(key)) continue;
      this.#drop(key);
    }
    for (const s of set) {
      if (this.slots.has(s.key)) continue;
      this.slots.set(s.key, this.#newSlot(s.key, s.since, m));
      this.#trackedChanged = true;
    }
    if (this.slots.size > 0 && !this.slots.has(OTHER_SEGMENT)) this.slots.set(OTHER_SEGMENT, this.#newSlot(OTHER_SEGMENT, now, m));
  }

  /**
   * The coordinator takes a shard's own admissions while slots are free, with the shard's
   * `since` (it counted them from then), as it would have admitted them at once itself. Inside a transaction.
   */
  adoptShardSegments(tracked: readonly TrackedSegment[], now: number): void {
    for (const s of tracked) {
      if (!this.slots.has(s.key) && this.#admit(s.key, now)) this.slots.get(s.key)!.since = s.since;
    }
  }

  /** Shards' rows changed these segments' block or hour rows: their merged caches are read again. */
  invalidate(segments: Iterable<string> | "all"): void {
    for (const key of segments === "all" ? this.slots.keys() : segments) {
      const slot = this.slots.get(key);
      if (slot) slot.caches = null;
    }
  }

  #drop(key: string): void {
    this.slots.delete(key);
    this.#profiles.delete(key);
    this.#store.dropSegment(key);
    this.remote?.dropSegment(key);
    this.#trackedChanged = true;
  }

  /**
   * Once a minute: ranks the segments (stats/streaming/segments.ts), drops the windows of
   * those that left, forgets old counts and rows. Inside a transaction.
   */
  roll(now: number): void {
    const m = minuteOf(now);
    for (const t of [...this.#counts.keys()]) if (t <= m - HOUR) this.#counts.delete(t);
    this.#store.pruneCounts(m - HOUR);
    this.remote?.pruneCounts(m - HOUR + 1);
    // Every slot's finished blocks and hours are rolled up before old minutes lose their state.
    for (const slot of this.slots.values()) this.#advance(slot, m);
    this.#store.stripMinutes(m - MINUTE_STATE_MS);
    this.#store.prune("m", now - PERF_MINUTES_MS);
    this.#store.prune("b", now - HOUR - BLOCK);
    this.#store.prune("h", now - PERF_HOURS_MS);
    if (this.remote) {
      this.remote.stripMinutes(m - MINUTE_STATE_MS);
      this.remote.prune("m", now - PERF_MINUTES_MS);
      this.remote.prune("b", now - HOUR - BLOCK);
      this.remote.prune("h", now - PERF_HOURS_MS);
    }
    for (const slot of this.slots.values()) {
      for (const t of [...slot.perfMinutes.keys()]) if (t < now - PERF_MINUTES_MS) slot.perfMinutes.delete(t);
      for (const t of [...slot.perfHours.keys()]) if (t < now - PERF_HOURS_MS) slot.perfHours.delete(t);
    }
    // A shard's set is its coordinator's, ranked on every shard's counts (follow).
    if (this.slots.size === 0 || this.following) return;
    const ranking = rankSegments(this.hourCounts(now), this.tracked(), this.settings.topK, now);
    for (const key of ranking.left) this.#drop(key);
    for (const key of ranking.entered) this.slots.set(key, this.#newSlot(key, now, m));
    if (ranking.left.length > 0 || ranking.entered.length > 0) this.#trackedChanged = true;
  }

  /** A slot's closed blocks and hours for minute `m`, merged from stored rows once per block and once per hour. */
  #caches(slot: SegmentSlot, m: number): SegmentCaches {
    const b = blockOf(m);
    const h = hourOf(m);
    const previous = slot.caches;
    if (previous?.block === b && previous.hour === h) return previous;
    const profile = slot.profile;
    const read = (level: SegmentLevel, from: number, to: number) => Aggregate.mergeAll(profile, this.#rows(slot.key, level, from, to).map((r) => Aggregate.fromRow(r, profile)));
    slot.caches = {
      block: b,
      closedBlocks: read("b", b - 5 * BLOCK, b),
      hourBlocks: read("b", h, b),
      hour: h,
      closedDay: previous?.hour === h ? previous.closedDay : read("h", h - 23 * HOUR, h),
    };
    return slot.caches;
  }

  /** This object's rows of a segment and level in [from, to), and on a coordinator its shards' too. */
  #rows(key: string, level: SegmentLevel, from: number, to: number) {
    const own = this.#store.buckets(key, level, from, to);
    return this.remote ? [...own, ...this.remote.rows(key, level, from, to)] : own;
  }

  #perf(slot: SegmentSlot, from: number, to: number, hoursFrom?: number): PerfState {
    const out = new PerfState();
    for (const [t, p] of slot.perfMinutes) if (t >= from && t <= to) out.merge(p);
    if (hoursFrom !== undefined) for (const [t, p] of slot.perfHours) if (t >= hoursFrom && t < from) out.merge(p);
    if (this.remote) {
      const parts = this.remote.perf(slot.key, "m", from, to + 1);
      if (hoursFrom !== undefined) parts.push(...this.remote.perf(slot.key, "h", hoursFrom, from));
      for (const p of parts) out.merge(PerfState.fromJSON(JSON.parse(p)));
    }
    return out;
  }

  /** A tracked segment's (or `other`'s) three windows at `now`; null when it is not tracked. */
  windows(key: string, now: number): SegmentWindow[] | null {
    const slot = this.slots.get(key);
    if (!slot) return null;
    const m = minuteOf(now);
    if (slot.minute < m) this.#monitor.transaction(() => this.#advance(slot, m));
    const c = this.#caches(slot, m);
    const profile = slot.profile;
    const b = blockOf(m);
    const h = hourOf(m);
    // The closed minutes of the current block and of the last four, read once; a
    // coordinator's include its shards' open minute (each shard's row for m).
    const minutes = this.#store.buckets(slot.key, "m", Math.min(b, m - 4 * MINUTE), m).map((r) => ({ t: r.t, a: Aggregate.fromRow(r, profile) }));
    if (this.remote) for (const r of this.remote.rows(slot.key, "m", Math.min(b, m - 4 * MINUTE), m + MINUTE)) minutes.push({ t: r.t, a: Aggregate.fromRow(r, profile) });
    const blockSoFar = Aggregate.mergeAll(profile, minutes.filter((x) => x.t >= b).map((x) => x.a));
    const closed4 = minutes.filter((x) => x.t >= m - 4 * MINUTE).map((x) => x.a);
    return [
      { name: "5m", from: m - 4 * MINUTE, aggregate: Aggregate.mergeAll(profile, [...closed4, slot.open]), perf: this.#perf(slot, m - 4 * MINUTE, m) },
      { name: "1h", from: b - 5 * BLOCK, aggregate: Aggregate.mergeAll(profile, [c.closedBlocks, blockSoFar, slot.open]), perf: this.#perf(slot, b - 5 * BLOCK, m) },
      { name: "24h", from: h - 23 * HOUR, aggregate: Aggregate.mergeAll(profile, [c.closedDay, c.hourBlocks, blockSoFar, slot.open]), perf: this.#perf(slot, h, m, h - 23 * HOUR) },
    ];
  }
}
