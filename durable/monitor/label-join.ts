// The label join's store: prediction_id → the prediction's minute, label and score, kept
// for the join horizon so that actuals arriving later find their prediction.
//
// Why not one table with a UNIQUE index on prediction_id: ids are often random (UUIDv4),
// so each insert lands on a random page of an index far larger than SQLite's page cache,
// and each commit rewrites one page per event. Measured: 40k events/s with random ids
// against 120k/s with ids that share a prefix (docs/benchmarks.md). So the write path is
// log-structured:
//   join_rows    appended in arrival order (rowid `seq`): sequential pages, whatever the ids
//   join_index   (gen, h, seq), h = a 53-bit hash of the id, gen = seq / GENERATION_ROWS;
//                filled in bulk, sorted, once at least INDEX_AFTER_ROWS rows wait (or on an
//                idle tick), so one index page takes many entries per write
// Rows newer than the index's high-water mark are found by a bounded scan. Pruning drops
// a prefix of `seq` and whole generations of the index (the index never needs a scan).
// Hash collisions are harmless: every match is checked against the stored id.
// A prediction_id sent twice keeps its first (lowest seq) prediction for the join, as the
// old unique index did: lookups take the lowest seq.

/** Index generation size, in rows: a lookup probes each live generation (20M rows cap → ≤ 11 probes). */
export const GENERATION_ROWS = 2_000_000;
/** Rows waiting before they are indexed in bulk; also bounds the scan a lookup makes of them. */
export const INDEX_AFTER_ROWS = 100_000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS join_rows (seq INTEGER PRIMARY KEY, h INTEGER NOT NULL, prediction_id TEXT NOT NULL, minute INTEGER NOT NULL, prediction TEXT NOT NULL, score TEXT, labeled INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS join_index (gen INTEGER NOT NULL, h INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (gen, h, seq)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS join_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL)`,
];

/**
 * cyrb53 (bryc, public domain, github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js):
 * two 32-bit multiply-xor lanes, mixed and folded to 53 bits, so the hash is an exact
 * JS number and an exact SQLite INTEGER.
 */
export function joinHash(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** One prediction kept for the join. `prediction` and `score` are JSON text. */
export type JoinRow = {
  seq: number;
  prediction_id: string;
  minute: number;
  prediction: string;
  score: string | null;
  labeled: number;
};

/** A batch's predictions in columns (an EventColumns has all but `minutes`). */
export interface JoinColumns {
  readonly ids: readonly string[];
  readonly predictions: readonly unknown[];
  /** Null when no row has a score. */
  readonly scores: readonly unknown[] | null;
}

export class LabelJoinStore {
  readonly #sql: SqlStorage;
  readonly #generationRows: number;
  #indexedThrough: number;

  /** `generationRows` is for tests, which cannot write millions of rows to cross a generation. */
  constructor(sql: SqlStorage, generationRows = GENERATION_ROWS) {
    this.#sql = sql;
    this.#generationRows = generationRows;
    for (const statement of SCHEMA) sql.exec(statement);
    const state = sql.exec<{ indexed_through: number }>(`SELECT indexed_through FROM join_state WHERE id = 1`).toArray()[0];
    this.#indexedThrough = state?.indexed_through ?? 0;
    this.#migrateUniqueTable();
  }

  /** Keeps a batch's predictions, each in its own minute: one statement, rows appended in order. */
  append(batch: JoinColumns, minutes: ArrayLike<number>): void {
    const n = batch.ids.length;
    if (n === 0) return;
    const { ids, predictions, scores } = batch;
    const rows = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      rows[i] = [joinHash(id), id, minutes[i], predictions[i], scores === null ? null : scores[i]];
    }
    // `->` keeps each value's JSON form (true stays true, "3" stays a string); no score is NULL.
    this.#sql.exec(
      `INSERT INTO join_rows (h, prediction_id, minute, prediction, score)
       SELECT value ->> 0, value ->> 1, value ->> 2, value -> 3, NULLIF(value -> 4, 'null') FROM json_each(?)`,
      JSON.stringify(rows),
    );
  }

  #lastSeq(): number {
    return this.#sql.exec<{ s: number | null }>(`SELECT MAX(seq) AS s FROM join_rows`).toArray()[0]?.s ?? 0;
  }

  /** Rows not yet in the index. */
  unindexed(): number {
    return Math.max(0, this.#lastSeq() - this.#indexedThrough);
  }

  /** Whether enough rows wait that indexing them now is worth its page writes. */
  indexDue(): boolean {
    return this.unindexed() >= INDEX_AFTER_ROWS;
  }

  /** Indexes every waiting row, sorted so each index page is written once. Returns how many. */
  indexPending(): number {
    const last = this.#lastSeq();
    if (last <= this.#indexedThrough) return 0;
    const written = this.#sql.exec(
      // A bound JS number arrives as REAL; the cast keeps `/` an integer division.
      `INSERT OR IGNORE INTO join_index (gen, h, seq) SELECT seq / CAST(? AS INTEGER), h, seq FROM join_rows WHERE seq > ? AND seq <= ? ORDER BY 1, 2, 3`,
      this.#generationRows, this.#indexedThrough, last,
    ).rowsWritten;
    this.#setIndexedThrough(last);
    return written;
  }

  #setIndexedThrough(seq: number): void {
    this.#sql.exec(
      `INSERT INTO join_state (id, indexed_through) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET indexed_through = excluded.indexed_through`,
      seq,
    );
    this.#indexedThrough = seq;
  }

  /** The first-kept prediction of each id found (ids not found are absent from the map). */
  find(ids: readonly string[]): Map<string, JoinRow> {
    const found = new Map<string, JoinRow>();
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return found;
    const keep = (row: JoinRow) => {
      const seen = found.get(row.prediction_id);
      if (!seen || row.seq < seen.seq) found.set(row.prediction_id, row);
    };
    const probes = JSON.stringify(wanted.map((id) => [joinHash(id), id]));
    for (const gen of this.#generations()) {
      // CROSS JOIN fixes the order: probe the index once per wanted id (the planner
      // would otherwise scan the generation).
      const rows = this.#sql.exec<JoinRow>(
        `SELECT r.seq, r.prediction_id, r.minute, r.prediction, r.score, r.labeled
         FROM json_each(?) AS q CROSS JOIN join_index AS ix CROSS JOIN join_rows AS r
         WHERE ix.gen = ? AND ix.h = q.value ->> 0 AND r.seq = ix.seq AND r.prediction_id = q.value ->> 1`,
        probes, gen,
      );
      for (const row of rows) keep(row);
    }
    // Indexed rows all precede the waiting ones, so the scan is needed only for ids not found.
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0 && this.#lastSeq() > this.#indexedThrough) {
      const rows = this.#sql.exec<JoinRow>(
        `SELECT seq, prediction_id, minute, prediction, score, labeled FROM join_rows
         WHERE seq > ? AND prediction_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
        this.#indexedThrough, JSON.stringify(missing),
      );
      for (const row of rows) keep(row);
    }
    return found;
  }

  #generations(): number[] {
    const first = this.#sql.exec<{ g: number | null }>(`SELECT MIN(gen) AS g FROM join_index`).toArray()[0]?.g;
    if (first === null || first === undefined) return [];
    const last = Math.floor(this.#indexedThrough / this.#generationRows);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  markLabeled(seq: number): void {
    this.#sql.exec(`UPDATE join_rows SET labeled = 1 WHERE seq = ?`, seq);
  }

  /** Drops predictions stamped before `beforeMinute` (up to the first row inside it); returns how many. */
  prune(beforeMinute: number): number {
    const first = this.#sql.exec<{ seq: number }>(`SELECT seq FROM join_rows WHERE minute >= ? ORDER BY seq LIMIT 1`, beforeMinute).toArray()[0];
    return this.#dropBefore(first ? first.seq : this.#lastSeq() + 1);
  }

  /** Keeps at most `cap` predictions, dropping the oldest; returns how many went. */
  cap(cap: number): number {
    return this.#dropBefore(this.#lastSeq() - cap + 1);
  }

  /**
   * Rows are only ever dropped as a prefix of seq, so the rows left are seq first..last
   * with no gaps. Index entries of a generation that still holds a kept row stay until the
   * whole generation goes; lookups skip them (their row is gone).
   */
  #dropBefore(seq: number): number {
    const dropped = this.#sql.exec(`DELETE FROM join_rows WHERE seq < ?`, seq).rowsWritten;
    if (dropped > 0) this.#sql.exec(`DELETE FROM join_index WHERE gen < ?`, Math.floor(seq / this.#generationRows));
    return dropped;
  }

  /** Predictions kept (O(1): rows are a gapless seq range). */
  count(): number {
    const row = this.#sql.exec<{ lo: number | null; hi: number | null }>(`SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM join_rows`).toArray()[0];
    return row?.lo == null || row.hi == null ? 0 : row.hi - row.lo + 1;
  }

  /**
   * Objects created before this store kept predictions in `predictions`, with a UNIQUE
   * index on prediction_id. Their rows move here once, in seq order, then that table goes.
   */
  #migrateUniqueTable(): void {
    const old = this.#sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'predictions'`).toArray().length > 0;
    if (!old) return;
    let after = -1;
    for (;;) {
      const chunk = this.#sql.exec<{ seq: number; prediction_id: string; minute: number; prediction: string; score: string | null; labeled: number }>(
        `SELECT seq, prediction_id, minute, prediction, score, labeled FROM predictions WHERE seq > ? ORDER BY seq LIMIT 10000`, after,
      ).toArray();
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.seq;
      this.#sql.exec(
        `INSERT INTO join_rows (h, prediction_id, minute, prediction, score, labeled)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)`,
        JSON.stringify(chunk.map((r) => [joinHash(r.prediction_id), r.prediction_id, r.minute, r.prediction, r.score, r.labeled])),
      );
    }
    this.#sql.exec(`DROP TABLE predictions`);
    this.indexPending();
  }
}
