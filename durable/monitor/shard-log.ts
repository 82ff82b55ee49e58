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
import type { SegmentPullPart, SegmentRowsPart, ShardSegmentRow } from "./segment-shard-copies.ts";
import type { SegmentLevel, SegmentRowKey, SegmentStore } from "./segment-store.ts";
import type { BucketTable, StoredBucket } from "./storage.ts";

/** Segment rows older than this are pruned on both sides; their log entries go. */
const SEGMENT_LOG_MS = 26 * HOUR;
/**
 * A page of a whole copy of the segment rows stops past this many bytes of window state:
 * a shard's rows can reach tens of MB (24 hour rows per segment, hundreds of KB each at
 * 50 features), above what one RPC reply should carry. The page continues on the next pull.
 */
export const SEGMENT_PAGE_BYTES = 4 * 1024 * 1024;
const PAGE_QUERY_ROWS = 16;

export interface ShardPullRequest {
  /** The epoch and cursor of the coordinator's last reply from this shard; null for none. */
  epoch: string | null;
  since: number;
  /** The coordinator's tracked segments (without `other`), for the shard to follow; absent: no segment part in the reply. */
  segments?: TrackedSegment[];
  /**
   * The segment rows too (the heavy part, so not on every pull: shard-coordinator.ts): the
   * next page of a whole copy (`after` set, or another epoch: from the start), else those
   * changed since `since`. Absent: not this time.
   */
  segmentRows?: { epoch: string | null; since: number; after: SegmentRowKey | null };
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
  /** A page of a whole copy of the segment rows stops past this many bytes. */
  readonly #pageBytes: number;

  constructor(pageBytes = SEGMENT_PAGE_BYTES) {
    this.#pageBytes = pageBytes;
  }

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
    const ask = request.segmentRows;
    let rows: SegmentRowsPart | undefined;
    if (ask !== undefined) {
      const start = ask.epoch !== this.epoch;
      if (start || ask.after !== null) rows = { epoch: this.epoch, start, ...this.#page(store, start ? null : ask.after) };
      else {
        const list: ShardSegmentRow[] = [];
        for (const [key, seq] of this.#segmentRows) {
          if (seq.row <= ask.since && seq.perf <= ask.since) continue;
          const at = key.indexOf("|", 2);
          const row = store.bucket(key.slice(at + 1), key.slice(0, 1) as SegmentLevel, Number(key.slice(2, at)));
          if (row) list.push({ ...row, ...(seq.row > ask.since ? { perfOnly: false } : { events: 0, window: null, latency: null, estimate: null, perfOnly: true }) });
        }
        rows = { epoch: this.epoch, start: false, list, after: null };
      }
    }
    for (const key of this.#segmentRows.keys()) if (Number(key.slice(2, key.indexOf("|", 2))) < now - SEGMENT_LOG_MS) this.#segmentRows.delete(key);
    for (const t of this.#segmentCounts.keys()) if (t < now - 2 * HOUR) this.#segmentCounts.delete(t);
    const tracked = segments.tracked();
    for (const s of tracked) if (!this.#reported.has(s.key)) this.#reported.set(s.key, cursor);
    for (const key of this.#reported.keys()) if (!segments.slots.has(key)) this.#reported.delete(key);
    return { tracked, counts, ...(rows ? { rows } : {}) };
  }

  /** One page of every segment row after `after`, and the last row's key while more may remain. */
  #page(store: SegmentStore, after: SegmentRowKey | null): { list: ShardSegmentRow[]; after: SegmentRowKey | null } {
    const list: ShardSegmentRow[] = [];
    let bytes = 0;
    let next = after;
    for (;;) {
      const rows = store.bucketsAfter(next, PAGE_QUERY_ROWS);
      for (const row of rows) {
        list.push({ ...row, perfOnly: false });
        bytes += (row.window?.byteLength ?? 0) + (row.latency?.byteLength ?? 0) + (row.estimate?.length ?? 0) + (row.perf?.length ?? 0);
        next = { segment: row.segment, level: row.level, t: row.t };
        if (bytes >= this.#pageBytes) return { list, after: next };
      }
      if (rows.length < PAGE_QUERY_ROWS) return { list, after: null };
    }
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
