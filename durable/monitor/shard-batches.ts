// The shard count each batch id was split under (issue 23), kept by the coordinator
// (shard 0). A row's shard is hash(prediction_id) mod N, so a batch retried after N
// changed would split differently: a shard that got none of the batch's rows the first
// time has no record of its id and would store the rows that moved to it, counting them
// twice. So before splitting, the Worker claims the batch id here: the first claim records
// the N it brings, every later claim (a retry, under whatever N is current) gets that
// first N back, and the batch is split under it. Each shard then sees exactly the rows it
// had the first time, and its own 24 h dedupe (batch-dedupe.ts) is exact again; a shard
// the first attempt never reached (it failed) stores its rows now, once.
//
// Why a ledger and not "route by the shards_max history": routing must be a function of
// what a retry carries, and a retry carries only the batch id and the rows; the N in
// effect at the first attempt is not derivable from them. The cost is one small RPC to
// shard 0 before the parallel sub-batches (one more round trip on a sharded ingest).
//
// A batch stored before the version was ever split (the single-object path, which makes no
// claim: a version goes sharded when the auto mode or a PATCH first raises its shards) is
// in shard 0's own dedupe and nowhere here: its retry is split under N = 1, the whole batch
// to shard 0, which answers it as the duplicate it is.
//
// Records live as long as a batch id is remembered (DEDUPE_MS from the first claim), as
// each shard's own dedupe record does.
import { DEDUPE_MS } from "./batch-dedupe.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS shard_batches (batch_id TEXT PRIMARY KEY, shards INTEGER NOT NULL, claimed_at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS shard_batches_claimed ON shard_batches (claimed_at)`,
];

export class ShardBatches {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const statement of SCHEMA) this.#sql.exec(statement);
  }

  /**
   * The N batch `batchId` is split under: the one recorded by its first claim, else 1 when
   * `storedUnsplit` (shard 0 stored it whole before the version was sharded), else `shards`;
   * recorded now when it was not.
   */
  claim(batchId: string, shards: number, now: number, storedUnsplit: () => boolean): number {
    const seen = this.#sql.exec<{ shards: number }>(`SELECT shards FROM shard_batches WHERE batch_id = ?`, batchId).toArray()[0];
    if (seen) return seen.shards;
    const splitUnder = storedUnsplit() ? 1 : shards;
    this.#sql.exec(`INSERT INTO shard_batches (batch_id, shards, claimed_at) VALUES (?, ?, ?)`, batchId, splitUnder, now);
    return splitUnder;
  }

  /** Forgets claims made more than DEDUPE_MS before `now` (as the shards forget the batch ids). */
  prune(now: number): void {
    this.#sql.exec(`DELETE FROM shard_batches WHERE claimed_at < ?`, now - DEDUPE_MS);
  }
}
