// The label join's store: prediction_id → the prediction's minute, label and score, kept
// for the join horizon so that actuals arriving later find their prediction.
//
// Why not one row per prediction with a UNIQUE index on prediction_id: ids are often
// random (UUIDv4), so each insert lands on a random page of an index far larger than
// SQLite's page cache, and each commit rewrites one page per event. Measured: 40k
// events/s with random ids against 120k/s with ids that share a prefix
// (docs/benchmarks.md). Here instead:
//   join_blocks   one row per batch: its ids, minutes, labels, scores and data subjects
//                 as one JSON array; `first` is the location (number in arrival order)
//                 of its first prediction, so blocks are appended in key order
//   join_labeled  locations already joined to an actual, with the subject the actual
//                 named (if any)
//   join-index.ts hash → location, the newest entries in memory and the rest in sorted
//                 generations: one index of prediction ids, one of subject ids (only rows
//                 that name a subject)
// Erasure (erasure.ts) blanks a row in place (id, label, score, subject become null)
// and removes its index entries and label mark, so locations stay gapless.
// Locations only ever go as a prefix (horizon, cap), so the store is the gapless range
// [first of the oldest block, next).
// A prediction_id sent twice joins its first prediction (lowest location), as the old
// unique index did.
import { JoinIndex, joinHash, type IndexSource, type JoinIndexSizes } from "./join-index.ts";

/** A subject id's index hash; the prefix keeps it apart from a prediction id that happens to be equal. */
export const subjectHash = (subject: string): number => joinHash(`subject\u0000${subject}`);

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS join_blocks (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, max_minute INTEGER NOT NULL, data TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS join_labeled (loc INTEGER PRIMARY KEY)`,
];

/** Objects created before subject ids lack join_labeled.subject. */
function addLabeledSubject(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('join_labeled')`).toArray();
  if (!columns.some((c) => c.name === "subject")) sql.exec(`ALTER TABLE join_labeled ADD COLUMN subject TEXT`);
  sql.exec(`CREATE INDEX IF NOT EXISTS join_labeled_subject ON join_labeled (subject) WHERE subject IS NOT NULL`);
}

/** A batch's predictions in columns (an EventColumns has them all). */
export interface JoinColumns {
  readonly ids: readonly string[];
  readonly predictions: readonly unknown[];
  /** Null when no row has a score. */
  readonly scores: readonly unknown[] | null;
  /** Absent or null when no row names a data subject. */
  readonly subjects?: readonly (string | null)[] | null;
}

/** One stored prediction, found for an actual. */
export interface JoinRow {
  loc: number;
  predictionId: string;
  minute: number;
  prediction: unknown;
  score: unknown;
  labeled: boolean;
  /** The prediction's segment keys (segment-buckets.ts), for per-segment performance; absent when it had none. */
  segments?: string[];
}

/**
 * A block as stored: [ids, minute (one for the whole block) or minutes, labels, scores or
 * null, subjects (absent in blocks stored before subject ids) or null, segment keys per row
 * (absent when no row had a segment)]. An erased row's id, label, score, subject and
 * segments are null.
 */
export type BlockData = [(string | null)[], number | number[], unknown[], unknown[] | null, ((string | null)[] | null)?, (string[] | null)[]?];

export interface Block {
  first: number;
  data: BlockData;
}

/** Parsed blocks kept between lookups: actuals tend to arrive in prediction order. */
const BLOCK_CACHE = 16;

export class LabelJoinStore {
  readonly #sql: SqlStorage;
  readonly index: JoinIndex;
  /** Subject id hash → location, for rows that name a subject. */
  readonly subjects: JoinIndex;
  #next: number;
  readonly #cache = new Map<number, Block>();

  constructor(sql: SqlStorage, sizes: Partial<JoinIndexSizes> = {}) {
    this.#sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
    addLabeledSubject(sql);
    // Each index's tail is read back from the stored blocks: ids, or subjects (absent in blocks stored before them).
    this.index = new JoinIndex(sql, sizes, "join", this.#source("$[0]", joinHash));
    this.subjects = new JoinIndex(sql, sizes, "join_subject", this.#source("$[4]", subjectHash));
    this.#next = this.#storedNext();
    this.#migrateUniqueTable();
  }

  /**
   * Stored blocks from a location on, each its column at `path` (ids, or subjects: absent in
   * blocks stored before them) hashed, for an index's tail (join-index.ts). A blanked row is null.
   */
  #source(path: "$[0]" | "$[4]", hash: (value: string) => number): IndexSource {
    const sql = this.#sql;
    return {
      *blocksFrom(from: number) {
        const rows = sql.exec<{ first: number; n: number; v: string | null }>(
          `SELECT first, n, json_extract(data, ?) AS v FROM join_blocks WHERE first >= COALESCE((SELECT MAX(first) FROM join_blocks WHERE first <= ?), 0) ORDER BY first`, path, from,
        );
        for (const row of rows) {
          const values = row.v === null ? [] : (JSON.parse(row.v) as (string | null)[]);
          yield { first: row.first, hashes: values.map((v) => (v == null ? null : hash(v))) };
        }
      },
      next: () => this.#storedNext(),
    };
  }

  #storedNext(): number {
    const last = this.#sql.exec<{ first: number; n: number }>(`SELECT first, n FROM join_blocks ORDER BY first DESC LIMIT 1`).toArray()[0];
    return last ? last.first + last.n : 1;
  }

  /** Re-reads what memory holds of the tables, after a transaction rolled back. */
  reload(): void {
    this.#next = this.#storedNext();
    this.#cache.clear();
    this.index.reload();
    this.subjects.reload();
  }

  /** Keeps a batch's predictions, each in its own minute (and with its segment keys): one row, appended. */
  append(batch: JoinColumns, minutes: ArrayLike<number>, segments: readonly (string[] | null)[] | null = null): void {
    const n = batch.ids.length;
    if (n === 0) return;
    let max = minutes[0]!;
    let same = true;
    for (let i = 1; i < n; i++) {
      const m = minutes[i]!;
      if (m !== minutes[0]) same = false;
      if (m > max) max = m;
    }
    const data: BlockData = [batch.ids as string[], same ? max : Array.from(minutes), batch.predictions as unknown[], batch.scores as unknown[] | null];
    if (batch.subjects || segments) data.push((batch.subjects ?? null) as (string | null)[] | null);
    if (segments) data.push(segments as (string[] | null)[]);
    const first = this.#next;
    this.#sql.exec(`INSERT INTO join_blocks (first, n, max_minute, data) VALUES (?, ?, ?, ?)`, first, n, max, JSON.stringify(data));
    const hashes = new Array<number>(n);
    for (let i = 0; i < n; i++) hashes[i] = joinHash(batch.ids[i]!);
    this.index.stage(first, hashes);
    if (batch.subjects) this.subjects.stage(first, batch.subjects.map((s) => (s === null ? null : subjectHash(s))));
    this.#next = first + n;
  }

  /** The first-kept prediction of each id found (ids not found are absent from the map). */
  find(ids: readonly string[]): Map<string, JoinRow> {
    const found = new Map<string, JoinRow>();
    const byHash = new Map<number, string[]>();
    for (const id of new Set(ids)) {
      const h = joinHash(id);
      const same = byHash.get(h);
      if (same) same.push(id);
      else byHash.set(h, [id]);
    }
    const candidates = this.index.candidates([...byHash.keys()]).sort((a, b) => a.loc - b.loc);
    const oldest = this.#oldest();
    for (const { h, loc } of candidates) {
      if (loc < oldest) continue; // pruned; its index entry goes with its generation
      const block = this.#blockAt(loc);
      if (!block) continue;
      const [blockIds, minutes, labels, scores, , segments] = block.data;
      const row = loc - block.first;
      const id = blockIds[row];
      if (id == null || found.has(id) || !byHash.get(h)!.includes(id)) continue; // erased, a later copy, or a collision
      found.set(id, { loc, predictionId: id, minute: typeof minutes === "number" ? minutes : minutes[row]!, prediction: labels[row], score: scores?.[row] ?? null, labeled: false, ...(segments?.[row] ? { segments: segments[row] } : {}) });
    }
    if (found.size > 0) {
      const locs = JSON.stringify([...found.values()].map((r) => r.loc));
      const labeled = new Set(this.#sql.exec<{ loc: number }>(`SELECT loc FROM join_labeled WHERE loc IN (SELECT value FROM json_each(?))`, locs).toArray().map((r) => r.loc));
      for (const row of found.values()) row.labeled = labeled.has(row.loc);
    }
    return found;
  }

  /** The stored block holding `loc` (erasure.ts reads and rewrites rows through it). */
  blockAt(loc: number): Block | undefined {
    return this.#blockAt(loc);
  }

  /** Stores a block's rewritten data (an erased row blanked); the cached copy goes. */
  rewriteBlock(first: number, data: BlockData): void {
    this.#sql.exec(`UPDATE join_blocks SET data = ? WHERE first = ?`, JSON.stringify(data), first);
    this.#cache.delete(first);
  }

  /** Label marks whose actual named `subject`. */
  labeledBySubject(subject: string): number[] {
    return this.#sql.exec<{ loc: number }>(`SELECT loc FROM join_labeled WHERE subject = ?`, subject).toArray().map((r) => r.loc);
  }

  /**
   * Label marks of predictions in blocks stamped wholly before `beforeMinute` (retention
   * of labels; a block with a newer prediction waits until all of it is older).
   */
  labeledBefore(beforeMinute: number): number[] {
    return this.#sql
      .exec<{ loc: number }>(
        `SELECT l.loc FROM join_labeled l WHERE (SELECT b.max_minute FROM join_blocks b WHERE b.first <= l.loc ORDER BY b.first DESC LIMIT 1) < ?`,
        beforeMinute,
      )
      .toArray()
      .map((r) => r.loc);
  }

  /**
   * Locations of kept (not blanked) predictions stamped before `beforeMinute` in blocks
   * that also hold later ones (a batch mixing times, e.g. a backfill): prune() keeps such
   * a block whole, so retention blanks these rows one by one.
   */
  rowsBefore(beforeMinute: number): number[] {
    const blocks = this.#sql
      .exec<{ first: number; data: string }>(
        `SELECT first, data FROM join_blocks WHERE max_minute >= ? AND json_type(data, '$[1]') = 'array'
           AND EXISTS (SELECT 1 FROM json_each(data, '$[1]') WHERE value < ?)`,
        beforeMinute, beforeMinute,
      )
      .toArray();
    const locs: number[] = [];
    for (const { first, data } of blocks) {
      const [ids, minutes] = JSON.parse(data) as BlockData;
      (minutes as number[]).forEach((m, row) => {
        if (m < beforeMinute && ids[row] != null) locs.push(first + row);
      });
    }
    return locs;
  }

  /** How many of `locs` carry a label mark. */
  labeledAmong(locs: readonly number[]): number {
    if (locs.length === 0) return 0;
    return this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_labeled WHERE loc IN (SELECT value FROM json_each(?))`, JSON.stringify(locs)).toArray()[0]?.n ?? 0;
  }

  /** Removes label marks; returns how many there were. */
  unmarkLabeled(locs: readonly number[]): number {
    if (locs.length === 0) return 0;
    return this.#sql.exec(`DELETE FROM join_labeled WHERE loc IN (SELECT value FROM json_each(?))`, JSON.stringify(locs)).rowsWritten;
  }

  #blockAt(loc: number): Block | undefined {
    for (const block of this.#cache.values()) {
      if (loc >= block.first && loc < block.first + block.data[0].length) return block;
    }
    const row = this.#sql.exec<{ first: number; n: number; data: string }>(
      `SELECT first, n, data FROM join_blocks WHERE first <= ? ORDER BY first DESC LIMIT 1`, loc,
    ).toArray()[0];
    if (!row || loc >= row.first + row.n) return undefined;
    const block: Block = { first: row.first, data: JSON.parse(row.data) as BlockData };
    if (this.#cache.size >= BLOCK_CACHE) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(block.first, block);
    return block;
  }

  /** `subject`: the data subject the actual named, kept so erasure by subject finds the mark. */
  markLabeled(loc: number, subject: string | null = null): void {
    this.#sql.exec(`INSERT OR IGNORE INTO join_labeled (loc, subject) VALUES (?, ?)`, loc, subject);
  }

  /** Drops the blocks before the first one holding a prediction stamped at or after `beforeMinute`; returns how many predictions went. */
  prune(beforeMinute: number): number {
    const first = this.#sql.exec<{ first: number }>(`SELECT first FROM join_blocks WHERE max_minute >= ? ORDER BY first LIMIT 1`, beforeMinute).toArray()[0];
    return this.#dropBefore(first ? first.first : this.#next);
  }

  /** Keeps at most `cap` predictions (whole blocks: up to one block more), dropping the oldest; returns how many went. */
  cap(cap: number): number {
    if (this.count() <= cap) return 0; // every tick, so the common case is one query
    const keepFrom = this.#next - cap;
    // The oldest block that still holds a location to keep.
    const first = this.#sql.exec<{ first: number }>(`SELECT first FROM join_blocks WHERE first + n > ? ORDER BY first LIMIT 1`, keepFrom).toArray()[0];
    return this.#dropBefore(first ? first.first : this.#next);
  }

  #dropBefore(loc: number): number {
    const oldest = this.#oldest();
    if (loc <= oldest) return 0;
    this.#sql.exec(`DELETE FROM join_blocks WHERE first < ?`, loc);
    this.#sql.exec(`DELETE FROM join_labeled WHERE loc < ?`, loc);
    this.index.dropBefore(loc);
    this.subjects.dropBefore(loc);
    for (const first of [...this.#cache.keys()]) if (first < loc) this.#cache.delete(first);
    return loc - oldest;
  }

  #oldest(): number {
    return this.#sql.exec<{ first: number }>(`SELECT first FROM join_blocks ORDER BY first LIMIT 1`).toArray()[0]?.first ?? this.#next;
  }

  /** Predictions kept. */
  /** The location the next appended prediction takes (locations grow in arrival order). */
  get next(): number {
    return this.#next;
  }

  count(): number {
    return this.#next - this.#oldest();
  }

  /**
   * Objects created before this store kept predictions in `predictions`, one row each
   * with a UNIQUE index on prediction_id (labels and scores as JSON text). Their rows move
   * here once, in their order, 10,000 to a block; then that table goes.
   */
  #migrateUniqueTable(): void {
    if (this.#sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'predictions'`).toArray().length === 0) return;
    let after = -1;
    for (;;) {
      const chunk = this.#sql.exec<{ seq: number; prediction_id: string; minute: number; prediction: string; score: string | null; labeled: number }>(
        `SELECT seq, prediction_id, minute, prediction, score, labeled FROM predictions WHERE seq > ? ORDER BY seq LIMIT 10000`, after,
      ).toArray();
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.seq;
      const first = this.#next;
      this.append(
        { ids: chunk.map((r) => r.prediction_id), predictions: chunk.map((r) => JSON.parse(r.prediction)), scores: chunk.map((r) => (r.score === null ? null : JSON.parse(r.score))) },
        chunk.map((r) => r.minute),
      );
      chunk.forEach((r, i) => {
        if (r.labeled) this.markLabeled(first + i);
      });
    }
    this.#sql.exec(`DROP TABLE predictions`);
    this.index.merge();
  }
}
