// A sharded version's coordinator: its copies of the shards' segment rows and counts
// (issue 23). A shard sends each segment row it changed whole (minute, 10-minute block or
// hour, as segment-buckets.ts keeps them), or its performance alone when only an actual
// joined since (shard-log.ts); the copy here replaces the coordinator's previous copy of
// that row, so a row pulled twice counts once. The coordinator's segment windows read its
// own rows plus these (SegmentBuckets.windows), and its top-K ranking reads its own
// counts plus the copies' (SegmentBuckets.hourCounts).
//
// The rows live in SQLite, as the coordinator's own do, so memory stays at the few
// merged Aggregates per segment that segment-buckets.ts caches; the counts (at most
// MAX_COUNTED_SEGMENTS per shard per minute, for one hour) are in memory, and a restarted
// coordinator gets them again with its first, full, pull.
// Placeholders only, never interpolated values.
import type { TrackedSegment } from "../../stats/streaming/segments.ts";
import { SegmentBucketUpkeep } from "./segment-bucket-upkeep.ts";
import { bucketRow, type SegmentBucketRow, type SegmentLevel, type SegmentRowKey } from "./segment-store.ts";

/** A changed segment row in a shard's reply; `perfOnly`: only `perf` is meant (the rest is left out). */
export interface ShardSegmentRow extends SegmentBucketRow {
  perfOnly: boolean;
}

/** The segment part of a shard's pull reply. */
export interface SegmentPullPart {
  /** The segments the shard tracks now, its own admissions not yet in the coordinator's set included. */
  tracked: TrackedSegment[];
  /** Per changed minute (every minute for a full reply), the shard's whole count map for it (keys and their counts, in the same order). */
  counts: { t: number; keys: string[]; n: number[] }[];
  /** The rows, when asked for (shard-log.ts). */
  rows?: SegmentRowsPart;
}

/**
 * A shard's segment rows in a reply: those changed since the coordinator's rows cursor, or
 * one page of all of them (a coordinator that has none of this epoch's: `start` on the first
 * page, whose copies replace the old ones; `after` names the last row sent while pages remain).
 */
export interface SegmentRowsPart {
  epoch: string;
  start: boolean;
  list: ShardSegmentRow[];
  after: SegmentRowKey | null;
}

/** Where the coordinator is in a shard's rows: the epoch, the cursor changes are sent after, and the page to ask next while a whole copy is under way. */
export interface SegmentRowsCursor {
  epoch: string;
  since: number;
  after: SegmentRowKey | null;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS segment_shard_buckets (shard INTEGER NOT NULL, segment TEXT NOT NULL, level TEXT NOT NULL, t INTEGER NOT NULL, events INTEGER NOT NULL, window BLOB, latency BLOB, perf TEXT, estimate TEXT, PRIMARY KEY (segment, level, t, shard))`,
  // Where the copies of each shard's rows stand: kept with them, dropped with them.
  `CREATE TABLE IF NOT EXISTS segment_shard_cursors (shard INTEGER PRIMARY KEY, cursor TEXT NOT NULL)`,
];

/** prune, stripMinutes and dropSegment keep the same horizons as the coordinator's own rows (segment-bucket-upkeep.ts). */
export class SegmentShardCopies extends SegmentBucketUpkeep {
  readonly #sql: SqlStorage;
  /** Per shard, per minute, events per segment key (the shard's segment_counts). */
  readonly #counts = new Map<number, Map<number, Map<string, number>>>();

  constructor(sql: SqlStorage) {
    super(sql, "segment_shard_buckets");
    this.#sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Where the copies of a shard's rows stand; null: none of its current epoch (a whole copy is next). */
  rowsCursor(shard: number): SegmentRowsCursor | null {
    const row = this.#sql.exec<{ cursor: string }>(`SELECT cursor FROM segment_shard_cursors WHERE shard = ?`, shard).toArray()[0];
    return row ? (JSON.parse(row.cursor) as SegmentRowsCursor) : null;
  }

  /** Inside the transaction that applied the rows it describes. */
  setRowsCursor(shard: number, cursor: SegmentRowsCursor | null): void {
    if (cursor === null) this.#sql.exec(`DELETE FROM segment_shard_cursors WHERE shard = ?`, shard);
    else this.#sql.exec(`INSERT INTO segment_shard_cursors (shard, cursor) VALUES (?, ?) ON CONFLICT (shard) DO UPDATE SET cursor = excluded.cursor`, shard, JSON.stringify(cursor));
  }

  /**
   * Takes a shard's segment part. `full`: it holds every count the shard has (and
   * `part.rows.start`: it begins a whole copy of the rows), so the old copies go first. `tracks`: whether the coordinator keeps windows for a segment
   * (rows of the others are not kept). `counted`: whether the shard's windows are on the
   * coordinator's baseline; if not, only its counts are taken (its rows come again, whole,
   * once it has adopted the baseline). Returns the segments whose block or hour rows
   * changed (their merged caches are stale), "all" when the shard's copies were replaced.
   */
  apply(shard: number, part: SegmentPullPart, full: boolean, counted: boolean, tracks: (segment: string) => boolean): Set<string> | "all" {
    if (full) this.#counts.delete(shard);
    let counts = this.#counts.get(shard);
    if (!counts) this.#counts.set(shard, (counts = new Map()));
    for (const c of part.counts) counts.set(c.t, new Map(c.keys.map((key, i) => [key, c.n[i] ?? 0])));
    const stale = new Set<string>();
    if (!counted || !part.rows) return stale;
    if (part.rows.start) this.#sql.exec(`DELETE FROM segment_shard_buckets WHERE shard = ?`, shard);
    const replaced = part.rows.start;
    for (const row of part.rows.list) {
      if (!tracks(row.segment)) continue;
      if (row.perfOnly) {
        this.#sql.exec(
          `INSERT INTO segment_shard_buckets (shard, segment, level, t, events, perf) VALUES (?, ?, ?, ?, 0, ?)
           ON CONFLICT (segment, level, t, shard) DO UPDATE SET perf = excluded.perf`,
          shard, row.segment, row.level, row.t, row.perf,
        );
        continue;
      }
      this.#sql.exec(
        `INSERT INTO segment_shard_buckets (shard, segment, level, t, events, window, latency, perf, estimate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (segment, level, t, shard) DO UPDATE SET events = excluded.events, window = excluded.window, latency = excluded.latency, perf = excluded.perf, estimate = excluded.estimate`,
        shard, row.segment, row.level, row.t, row.events, row.window, row.latency, row.perf, row.estimate,
      );
      if (row.level !== "m") stale.add(row.segment);
    }
    return replaced ? "all" : stale;
  }

  /** Every shard's rows of one segment and level starting in [from, to). */
  rows(segment: string, level: SegmentLevel, from: number, to: number): SegmentBucketRow[] {
    return this.#sql
      .exec(`SELECT segment, level, t, events, window, latency, perf, estimate FROM segment_shard_buckets WHERE segment = ? AND level = ? AND t >= ? AND t < ? ORDER BY t`, segment, level, from, to)
      .toArray()
      .map(bucketRow);
  }

  /** Every shard's performance JSON of one segment and level in [from, to). */
  perf(segment: string, level: SegmentLevel, from: number, to: number): string[] {
    return this.#sql
      .exec<{ perf: string }>(`SELECT perf FROM segment_shard_buckets WHERE segment = ? AND level = ? AND t >= ? AND t < ? AND perf IS NOT NULL`, segment, level, from, to)
      .toArray()
      .map((r) => r.perf);
  }

  /** Adds every shard's counts of the minutes after `after` to `into`. */
  addCounts(into: Map<string, number>, after: number): void {
    for (const minutes of this.#counts.values()) {
      for (const [t, counts] of minutes) {
        if (t <= after) continue;
        for (const [key, n] of counts) into.set(key, (into.get(key) ?? 0) + n);
      }
    }
  }

  pruneCounts(before: number): void {
    for (const minutes of this.#counts.values()) for (const t of [...minutes.keys()]) if (t < before) minutes.delete(t);
  }

  /** A new baseline: every copy was counted on the old one (the shards send theirs again once they adopt it). */
  dropAllBuckets(): void {
    this.#sql.exec(`DELETE FROM segment_shard_buckets`);
    this.#sql.exec(`DELETE FROM segment_shard_cursors`);
  }
}
