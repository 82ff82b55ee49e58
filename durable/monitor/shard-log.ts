// A shard's side of the coordinator's pull (issue 23): which minute and hour buckets
// changed since the coordinator last asked. Every bucket write goes through
// Buckets.persist inside the transaction that consumed its input, so a bucket logged
// here is committed; the reply carries each changed bucket's whole current state (not a
// delta), which the coordinator puts in place of its copy. A bucket sent twice is
// therefore harmless, and one never sent is caught by the cursor. The log is memory
// only: a restarted shard (or one whose memory was rebuilt) starts a new epoch, and a
// pull from another epoch gets every bucket in memory.
//
// Segments the same way (segment-shard-copies.ts): every segment row write (segment-store.ts)
// is logged, and a reply carries the count minutes changed and the segments this shard
// tracks and, when the coordinator asks for them (every few seconds), the rows changed since
// the rows' own cursor whole, or only their performance when nothing else changed. The coordinator's tracked set comes with the request (follow): a segment
// this shard admitted on its own goes once a reply has reported it and the coordinator,
// having seen it, still does not track it.
import type { TrackedSegment } from "../../stats/streaming/segments.ts";
import type { Totals } from "../protocol.ts";
import { HOUR, type Buckets } from "./buckets.ts";
import type { SegmentBuckets } from "./segment-buckets.ts";
import type { SegmentPullPart, ShardSegmentRow } from "./segment-shard-copies.ts";
import type { SegmentLevel, SegmentStore } from "./segment-store.ts";
import type { BucketTable, StoredBucket } from "./storage.ts";

/** Segment rows older than this are pruned on both sides; their log entries go. */
const SEGMENT_LOG_MS = 26 * HOUR;

export interface ShardPullRequest {
  /** The epoch and cursor of the coordinator's last reply from this shard; null for none. */
  epoch: string | null;
  since: number;
  /** The coordinator's tracked segments (without `other`), for the shard to follow; absent: no segment part in the reply. */
  segments?: TrackedSegment[];
  /**
   * The segment rows too (the heavy part, so not on every pull: shard-coordinator.ts), changed
   * since this cursor of an earlier reply in the same epoch; null: all of them. Absent: not this time.
   */
  segmentRowsSince?: number | null;
}

export interface ShardBucket extends StoredBucket {
  table: BucketTable;
}

export interface ShardPullReply {
  epoch: string;
  cursor: number;
  /** True when `buckets` is every bucket the shard holds (the coordinator drops what it had). */
  full: boolean;
  buckets: ShardBucket[];
  totals: Totals;
  /** The coordinator's profile key this shard counts against (shard-coordinator.ts); null without one. */
  profileKey: string | null;
  segments?: SegmentPullPart;
}

export class ShardLog {
  epoch = crypto.randomUUID();
  #seq = 0;
  readonly #changed = new Map<string, number>();
  #watched: Buckets | null = null;
  /** Per segment row (`level|t|segment`), the seq of its last whole write and of its last performance write. */
  readonly #segmentRows = new Map<string, { row: number; perf: number }>();
  readonly #segmentCounts = new Map<number, number>();
  /** Per segment this shard tracks, the cursor of the first reply that reported it. */
  readonly #reported = new Map<string, number>();
  #watchedSegments: SegmentStore | null = null;

  /** Follows `buckets`' writes; a new Buckets object (memory rebuilt after a rollback) starts a new epoch. */
  watch(buckets: Buckets): void {
    if (this.#watched === buckets) return;
    if (this.#watched !== null) {
      this.#watched.onPersist = null;
      this.epoch = crypto.randomUUID();
      this.#changed.clear();
      this.#segmentRows.clear();
      this.#segmentCounts.clear();
      this.#reported.clear();
    }
    this.#watched = buckets;
    buckets.onPersist = (table, t) => this.#changed.set(`${table}:${t}`, ++this.#seq);
  }

  /** Follows the segment rows' and counts' writes (the store outlives a rebuilt SegmentBuckets). */
  watchSegments(store: SegmentStore): void {
    if (this.#watchedSegments === store) return;
    this.#watchedSegments = store;
    store.onWrite = (segment, level, t, kind) => {
      const key = `${level}|${t}|${segment}`;
      const entry = this.#segmentRows.get(key) ?? { row: 0, perf: 0 };
      entry[kind] = ++this.#seq;
      this.#segmentRows.set(key, entry);
    };
    store.onCounts = (t) => this.#segmentCounts.set(t, ++this.#seq);
  }

  /** Whether the coordinator asking has seen this shard report `segment` (so its set leaving it out is a decision). */
  known(segment: string, request: ShardPullRequest): boolean {
    const at = this.#reported.get(segment);
    return request.epoch === this.epoch && at !== undefined && at <= request.since;
  }

  /**
   * The segment part of a reply (after the set was followed): the tracked segments, the
   * count minutes changed since the cursor (all for another epoch) and, when asked for,
   * the segment rows changed since the rows' own cursor (all for another epoch or none).
   */
  #segmentPart(segments: SegmentBuckets, store: SegmentStore, request: ShardPullRequest, full: boolean, cursor: number, now: number): SegmentPullPart {
    const counts: SegmentPullPart["counts"] = [];
    for (const c of segments.allCounts()) {
      const seq = this.#segmentCounts.get(c.t);
      if (full || (seq !== undefined && seq > request.since)) counts.push({ t: c.t, keys: [...c.counts.keys()], n: [...c.counts.values()] });
    }
    let rows: SegmentPullPart["rows"];
    if (request.segmentRowsSince !== undefined) {
      const rowsFull = full || request.segmentRowsSince === null;
      const since = request.segmentRowsSince ?? 0;
      const list: ShardSegmentRow[] = [];
      if (rowsFull) {
        for (const row of store.allBuckets()) list.push({ ...row, perfOnly: false });
      } else {
        for (const [key, seq] of this.#segmentRows) {
          if (seq.row <= since && seq.perf <= since) continue;
          const at = key.indexOf("|", 2);
          const row = store.bucket(key.slice(at + 1), key.slice(0, 1) as SegmentLevel, Number(key.slice(2, at)));
          if (row) list.push({ ...row, ...(seq.row > since ? { perfOnly: false } : { events: 0, window: null, latency: null, estimate: null, perfOnly: true }) });
        }
      }
      rows = { full: rowsFull, list };
    }
    for (const key of this.#segmentRows.keys()) if (Number(key.slice(2, key.indexOf("|", 2))) < now - SEGMENT_LOG_MS) this.#segmentRows.delete(key);
    for (const t of this.#segmentCounts.keys()) if (t < now - 2 * HOUR) this.#segmentCounts.delete(t);
    const tracked = segments.tracked();
    for (const s of tracked) if (!this.#reported.has(s.key)) this.#reported.set(s.key, cursor);
    for (const key of this.#reported.keys()) if (!segments.slots.has(key)) this.#reported.delete(key);
    return { tracked, counts, ...(rows ? { rows } : {}) };
  }

  /** The buckets changed since the request's cursor, or all of them for another epoch. */
  pull(buckets: Buckets, request: ShardPullRequest, totals: Totals, profileKey: string | null, segments?: { buckets: SegmentBuckets; store: SegmentStore; now: number }): ShardPullReply {
    this.watch(buckets);
    const full = request.epoch !== this.epoch;
    const out: ShardBucket[] = [];
    for (const table of ["minutes", "hours"] as const) {
      const map = table === "minutes" ? buckets.minutes : buckets.hours;
      for (const [t, slot] of map) {
        const seq = this.#changed.get(`${table}:${t}`);
        if (!full && (seq === undefined || seq <= request.since)) continue;
        out.push({ table, t, ...slot.aggregate.toRow(), perf: JSON.stringify(slot.perf.toJSON()) });
      }
    }
    // Buckets memory no longer holds will never be sent again: forget them.
    for (const key of this.#changed.keys()) {
      const [table, t] = key.split(":") as [BucketTable, string];
      if (!(table === "minutes" ? buckets.minutes : buckets.hours).has(Number(t))) this.#changed.delete(key);
    }
    // Its own cursor, so that segments reported in this reply are told apart from later ones.
    const cursor = ++this.#seq;
    const segmentPart = segments && request.segments ? this.#segmentPart(segments.buckets, segments.store, request, full, cursor, segments.now) : undefined;
    return { epoch: this.epoch, cursor, full, buckets: out, totals: { ...totals }, profileKey, ...(segmentPart ? { segments: segmentPart } : {}) };
  }
}
