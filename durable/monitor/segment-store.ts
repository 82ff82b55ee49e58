// The segment tables of a ModelMonitor's SQLite (segment-buckets.ts keeps the state):
//   segment_buckets   one row per (segment, level, t): level "m" a minute, "b" a 10-minute
//                     block, "h" an hour; the same columns as the global minutes/hours
//                     (window bytes, latency sketch, CBPE state) plus the performance JSON
//   segment_counts    per minute, every segment's event count (JSON), for the top-K ranking
//   segment_profiles  a segment's own baseline profile, when the baseline's rows had enough
//                     of it (stats/streaming/segments.ts MIN_SEGMENT_BASELINE_ROWS)
// Placeholders only, never interpolated values.
import type { AggregateRow } from "./aggregate.ts";
import { SegmentBucketUpkeep, type SegmentLevel } from "./segment-bucket-upkeep.ts";
import { readStoredBucket } from "./stored-bucket.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS segment_buckets (segment TEXT NOT NULL, level TEXT NOT NULL, t INTEGER NOT NULL, events INTEGER NOT NULL, window BLOB, latency BLOB, perf TEXT, estimate TEXT, PRIMARY KEY (segment, level, t))`,
  `CREATE TABLE IF NOT EXISTS segment_counts (t INTEGER PRIMARY KEY, counts TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS segment_profiles (segment TEXT PRIMARY KEY, profile TEXT NOT NULL)`,
];

export type { SegmentLevel };

/** A segment row's key, in the order rows are paged (bucketsAfter). */
export interface SegmentRowKey {
  segment: string;
  level: SegmentLevel;
  t: number;
}

export interface SegmentBucketRow extends AggregateRow {
  segment: string;
  level: SegmentLevel;
  t: number;
  perf: string | null;
}

/** A segment_buckets row as read back (the shard pull sends it: shard-log.ts). */
export function bucketRow(r: Record<string, SqlStorageValue>): SegmentBucketRow {
  return { segment: String(r.segment), level: r.level as SegmentLevel, ...readStoredBucket(r) };
}

/** What a write changed: the whole row, or its performance only (an actual joined later). */
export type SegmentWrite = "row" | "perf";

export class SegmentStore extends SegmentBucketUpkeep {
  readonly #sql: SqlStorage;
  /**
   * A sharded version's shard: told of every bucket and count write, inside the transaction
   * that makes it (shard-log.ts sends the changed rows to the coordinator).
   */
  onWrite: ((segment: string, level: SegmentLevel, t: number, kind: SegmentWrite) => void) | null = null;
  onCounts: ((t: number) => void) | null = null;

  constructor(sql: SqlStorage) {
    super(sql, "segment_buckets");
    this.#sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Rows of one segment and level starting in [from, to), oldest first. */
  buckets(segment: string, level: SegmentLevel, from: number, to: number): SegmentBucketRow[] {
    return this.#sql
      .exec(`SELECT segment, level, t, events, window, latency, perf, estimate FROM segment_buckets WHERE segment = ? AND level = ? AND t >= ? AND t < ? ORDER BY t`, segment, level, from, to)
      .toArray()
      .map(bucketRow);
  }

  /** One row, or null (pruned, or its segment dropped). */
  bucket(segment: string, level: SegmentLevel, t: number): SegmentBucketRow | null {
    const r = this.#sql.exec(`SELECT segment, level, t, events, window, latency, perf, estimate FROM segment_buckets WHERE segment = ? AND level = ? AND t = ?`, segment, level, t).toArray()[0];
    return r ? bucketRow(r) : null;
  }

  /** Up to `limit` rows after `after` in key order (segment, level, t): a page of a shard's whole state for its coordinator. */
  bucketsAfter(after: SegmentRowKey | null, limit: number): SegmentBucketRow[] {
    const columns = `SELECT segment, level, t, events, window, latency, perf, estimate FROM segment_buckets`;
    const rows = after === null
      ? this.#sql.exec(`${columns} ORDER BY segment, level, t LIMIT ?`, limit)
      : this.#sql.exec(`${columns} WHERE (segment, level, t) > (?, ?, ?) ORDER BY segment, level, t LIMIT ?`, after.segment, after.level, after.t, limit);
    return rows.toArray().map(bucketRow);
  }

  /** Performance JSON of every row of a level since `from` (all segments), to rebuild the in-memory perf maps. */
  perfSince(level: SegmentLevel, from: number): { segment: string; t: number; perf: string }[] {
    return this.#sql
      .exec<{ segment: string; t: number; perf: string }>(`SELECT segment, t, perf FROM segment_buckets WHERE level = ? AND t >= ? AND perf IS NOT NULL`, level, from)
      .toArray();
  }

  save(row: SegmentBucketRow): void {
    this.#sql.exec(
      `INSERT INTO segment_buckets (segment, level, t, events, window, latency, perf, estimate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (segment, level, t) DO UPDATE SET events = excluded.events, window = excluded.window, latency = excluded.latency, perf = excluded.perf, estimate = excluded.estimate`,
      row.segment, row.level, row.t, row.events, row.window, row.latency, row.perf, row.estimate,
    );
    this.onWrite?.(row.segment, row.level, row.t, "row");
  }

  /** Stores a bucket's performance alone (an actual joined to a prediction of a closed minute). */
  savePerf(segment: string, level: SegmentLevel, t: number, perf: string): void {
    this.#sql.exec(
      `INSERT INTO segment_buckets (segment, level, t, events, perf) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (segment, level, t) DO UPDATE SET perf = excluded.perf`,
      segment, level, t, perf,
    );
    this.onWrite?.(segment, level, t, "perf");
  }

  dropAllBuckets(): void {
    this.#sql.exec(`DELETE FROM segment_buckets`);
  }

  saveCounts(t: number, counts: ReadonlyMap<string, number>): void {
    this.#sql.exec(`INSERT INTO segment_counts (t, counts) VALUES (?, ?) ON CONFLICT (t) DO UPDATE SET counts = excluded.counts`, t, JSON.stringify([...counts]));
    this.onCounts?.(t);
  }

  counts(since: number): { t: number; counts: Map<string, number> }[] {
    return this.#sql
      .exec<{ t: number; counts: string }>(`SELECT t, counts FROM segment_counts WHERE t >= ? ORDER BY t`, since)
      .toArray()
      .map((r) => ({ t: r.t, counts: new Map(JSON.parse(r.counts) as [string, number][]) }));
  }

  pruneCounts(before: number): void {
    this.#sql.exec(`DELETE FROM segment_counts WHERE t < ?`, before);
  }

  /** Replaces every segment baseline. */
  saveProfiles(profiles: ReadonlyMap<string, string>): void {
    this.#sql.exec(`DELETE FROM segment_profiles`);
    for (const [segment, profile] of profiles) this.#sql.exec(`INSERT INTO segment_profiles (segment, profile) VALUES (?, ?)`, segment, profile);
  }

  /** Every segment baseline (JSON), for a coordinator to hand to its shards. */
  profiles(): Map<string, string> {
    return new Map(this.#sql.exec<{ segment: string; profile: string }>(`SELECT segment, profile FROM segment_profiles`).toArray().map((r) => [r.segment, r.profile]));
  }

  /** One segment's own baseline (JSON), or null. */
  profile(segment: string): string | null {
    return this.#sql.exec<{ profile: string }>(`SELECT profile FROM segment_profiles WHERE segment = ?`, segment).toArray()[0]?.profile ?? null;
  }
}
