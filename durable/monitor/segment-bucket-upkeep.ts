// Upkeep shared by the two tables that hold segment buckets: the object's own rows
// (segment_buckets, segment-store.ts) and a coordinator's copies of its shards' rows
// (segment_shard_buckets, segment-shard-copies.ts). Both keep the same horizons, so one
// set of statements serves both; the table name is one of these two constants, never input.

/** Minute rows, 5-minute blocks and hours. */
export type SegmentLevel = "m" | "b" | "h";

export type SegmentBucketTable = "segment_buckets" | "segment_shard_buckets";

export class SegmentBucketUpkeep {
  readonly #sql: SqlStorage;
  readonly #table: SegmentBucketTable;

  constructor(sql: SqlStorage, table: SegmentBucketTable) {
    this.#sql = sql;
    this.#table = table;
  }

  /** Drops a level's rows starting before `before`. */
  prune(level: SegmentLevel, before: number): void {
    this.#sql.exec(`DELETE FROM ${this.#table} WHERE level = ? AND t < ?`, level, before);
  }

  /**
   * Drops the window state of minute rows starting before `before`, keeping their
   * performance (labels keep arriving for 2 hours): by then they are rolled up into blocks.
   */
  stripMinutes(before: number): void {
    this.#sql.exec(`UPDATE ${this.#table} SET window = NULL, latency = NULL, estimate = NULL WHERE level = 'm' AND t < ? AND window IS NOT NULL`, before);
  }

  /** A segment left the tracked set (or the baseline changed): its windows go. */
  dropSegment(segment: string): void {
    this.#sql.exec(`DELETE FROM ${this.#table} WHERE segment = ?`, segment);
  }
}
