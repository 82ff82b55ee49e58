// The label join's index: a 53-bit hash of each prediction_id → its location (`loc`, the
// prediction's number in arrival order), kept as a small log-structured merge tree in
// SQLite so that random ids (UUIDv4) cost no random page write per event:
//   join_pending  each appended block's hashes, as written (one row per batch)
//   join_l0       sorted runs, (run, h, loc): each flush sorts everything pending into
//                 a new run, appended at the end of the B-tree (sequential pages)
//   join_l1       generations, (gen, h, loc), gen = loc / GENERATION_ROWS: the runs are
//                 merged in, sorted, once they hold MERGE_ROWS entries, so each page of
//                 a generation takes many entries per write. A merge moves one slice of
//                 the hash space per step (MERGE_SLICES steps, one per alarm tick), so no
//                 tick stalls on a whole merge (~300 ms at 100k events/s)
// A lookup probes every run and every generation (≤ MERGE_ROWS / RUN_ROWS + cap /
// GENERATION_ROWS probes) and scans what is pending. Entries are candidates only: a hash
// can collide, so the caller checks each against the stored id.

/** Entries pending before they are sorted into a run (also bounds a lookup's scan of them). */
export const RUN_ROWS = 50_000;
/** Entries in runs before they are merged into generations. */
export const MERGE_ROWS = 400_000;
/** Generation size in locations: ≤ 11 generations for the 20M-prediction cap. */
export const GENERATION_ROWS = 2_000_000;
/** A merge moves the runs' entries in this many slices of the hash space. */
export const MERGE_SLICES = 8;
/** Hashes are below 2^53. */
const HASH_SPACE = 2 ** 53;

/**
 * The tables of one index, named from a fixed prefix (never a caller's value): "join" for
 * prediction ids, "join_subject" for data subjects (label-join.ts). A staged hash may be
 * null (a row without a subject, or one erased before its flush): it is never indexed.
 */
const schema = (t: string) => [
  `CREATE TABLE IF NOT EXISTS ${t}_pending (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, hashes TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${t}_l0 (run INTEGER NOT NULL, h INTEGER NOT NULL, loc INTEGER NOT NULL, PRIMARY KEY (run, h, loc)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ${t}_l1 (gen INTEGER NOT NULL, h INTEGER NOT NULL, loc INTEGER NOT NULL, PRIMARY KEY (gen, h, loc)) WITHOUT ROWID`,
];

export type IndexPrefix = "join" | "join_subject";

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

export interface JoinIndexSizes {
  runRows: number;
  mergeRows: number;
  generationRows: number;
  mergeSlices: number;
}

/** A location whose hash matches a probed id (maybe a collision: check the stored id). */
export interface Candidate {
  h: number;
  loc: number;
}

/**
 * The lowest and highest run (l0) or generation (l1) number. Two scalar subqueries, not
 * `SELECT MIN(x), MAX(x)`: SQLite answers a lone MIN or MAX from the primary key's first
 * column in one seek, but both in one SELECT scan the whole table (EXPLAIN QUERY PLAN:
 * "SCAN"; 0.2 s at 2M entries), which every lookup and merge step paid.
 */
export function rangeQuery(prefix: IndexPrefix, table: "l0" | "l1"): string {
  const key = table === "l0" ? "run" : "gen";
  const from = `${prefix}_${table}`;
  return `SELECT (SELECT MIN(${key}) FROM ${from}) AS lo, (SELECT MAX(${key}) FROM ${from}) AS hi`;
}

const count = (sql: SqlStorage, query: string): number => Number(sql.exec<{ n: number | null }>(query).toArray()[0]?.n ?? 0);

export class JoinIndex {
  readonly #sql: SqlStorage;
  readonly #sizes: JoinIndexSizes;
  readonly #t: IndexPrefix;
  #pending: number;
  #inRuns: number;
  /** The next slice to merge, or null when no merge is under way. */
  #mergeSlice: number | null = null;

  /** `sizes` is for tests, which cannot write millions of rows to cross a generation. */
  constructor(sql: SqlStorage, sizes: Partial<JoinIndexSizes> = {}, prefix: IndexPrefix = "join") {
    this.#sql = sql;
    this.#sizes = { runRows: RUN_ROWS, mergeRows: MERGE_ROWS, generationRows: GENERATION_ROWS, mergeSlices: MERGE_SLICES, ...sizes };
    this.#t = prefix;
    for (const statement of schema(prefix)) sql.exec(statement);
    this.#pending = 0;
    this.#inRuns = 0;
    this.reload();
  }

  /** Re-reads the sizes memory holds, after a transaction rolled back. */
  reload(): void {
    this.#pending = count(this.#sql, `SELECT SUM(n) AS n FROM ${this.#t}_pending`);
    this.#inRuns = count(this.#sql, `SELECT COUNT(*) AS n FROM ${this.#t}_l0`);
  }

  /** Entries not yet sorted into a run. */
  get pending(): number {
    return this.#pending;
  }

  /** Holds a block's hashes (locations first, first + 1, …) until the next flush. */
  stage(first: number, hashes: readonly (number | null)[]): void {
    if (hashes.length === 0) return;
    this.#sql.exec(`INSERT INTO ${this.#t}_pending (first, n, hashes) VALUES (?, ?, ?)`, first, hashes.length, JSON.stringify(hashes));
    this.#pending += hashes.length;
  }

  /**
   * One step of upkeep (each alarm tick): sorts the pending entries into a run once there
   * are enough of them (or any at all when `force`), and moves one slice of a merge.
   */
  step(force: boolean): void {
    if (this.#pending >= this.#sizes.runRows || (force && this.#pending > 0)) this.flush();
    if (this.#mergeSlice === null && this.#inRuns >= this.#sizes.mergeRows) this.#mergeSlice = 0;
    if (this.#mergeSlice !== null) {
      this.#moveSlice(this.#mergeSlice);
      this.#mergeSlice = this.#mergeSlice + 1 < this.#sizes.mergeSlices ? this.#mergeSlice + 1 : null;
    }
  }

  /** Sorts everything pending into a new run. */
  flush(): void {
    if (this.#pending === 0) return;
    const run = count(this.#sql, `SELECT MAX(run) AS n FROM ${this.#t}_l0`) + 1;
    this.#sql.exec(
      `INSERT INTO ${this.#t}_l0 (run, h, loc) SELECT ?, j.value, p.first + j.key FROM ${this.#t}_pending AS p, json_each(p.hashes) AS j
       WHERE j.value IS NOT NULL ORDER BY 2, 3`,
      run,
    );
    this.#sql.exec(`DELETE FROM ${this.#t}_pending`);
    this.#inRuns += this.#pending;
    this.#pending = 0;
  }

  /** Moves every run into the generations at once. */
  merge(): void {
    for (let slice = 0; slice < this.#sizes.mergeSlices; slice++) this.#moveSlice(slice);
    this.#mergeSlice = null;
  }

  /**
   * Moves the runs' entries with a hash in one slice into the generations, sorted, so
   * each generation page is written once. Runs written after the merge began take part
   * in the slices still to come; what they hold of earlier slices waits for the next merge.
   */
  #moveSlice(slice: number): void {
    const runs = JSON.stringify(this.#range("l0"));
    const width = HASH_SPACE / this.#sizes.mergeSlices;
    const lo = slice * width;
    const hi = slice + 1 === this.#sizes.mergeSlices ? HASH_SPACE : (slice + 1) * width;
    // `run IN (…)` lets SQLite seek each run's hash range instead of scanning them all.
    // A bound JS number arrives as REAL; the cast keeps `/` an integer division.
    this.#sql.exec(
      `INSERT OR IGNORE INTO ${this.#t}_l1 (gen, h, loc) SELECT loc / CAST(? AS INTEGER), h, loc FROM ${this.#t}_l0
       WHERE run IN (SELECT value FROM json_each(?)) AND h >= ? AND h < ? ORDER BY 1, 2, 3`,
      this.#sizes.generationRows, runs, lo, hi,
    );
    const moved = this.#sql.exec(`DELETE FROM ${this.#t}_l0 WHERE run IN (SELECT value FROM json_each(?)) AND h >= ? AND h < ?`, runs, lo, hi).rowsWritten;
    this.#inRuns = Math.max(0, this.#inRuns - moved);
  }

  /** Every location whose hash is one of `hashes`, pending, in a run or in a generation. */
  candidates(hashes: readonly number[]): Candidate[] {
    const out: Candidate[] = [];
    if (hashes.length === 0) return out;
    const wanted = JSON.stringify([...new Set(hashes)]);
    // CROSS JOIN fixes the order: one index probe per wanted hash (the planner would
    // otherwise scan the run or generation).
    const probe = (table: "l0" | "l1", key: "run" | "gen", value: number) => {
      for (const row of this.#sql.exec<{ h: number; loc: number }>(
        `SELECT x.h, x.loc FROM json_each(?) AS q CROSS JOIN ${this.#t}_${table} AS x WHERE x.${key} = ? AND x.h = q.value`, wanted, value,
      )) out.push(row);
    };
    for (const run of this.#range("l0")) probe("l0", "run", run);
    for (const gen of this.#range("l1")) probe("l1", "gen", gen);
    if (this.#pending > 0) {
      for (const row of this.#sql.exec<{ h: number; loc: number }>(
        `SELECT j.value AS h, p.first + j.key AS loc FROM ${this.#t}_pending AS p, json_each(p.hashes) AS j
         WHERE j.value IN (SELECT value FROM json_each(?))`, wanted,
      )) out.push(row);
    }
    return out;
  }

  /** Every run (l0) or generation (l1) number from the lowest to the highest present. */
  #range(table: "l0" | "l1"): number[] {
    const row = this.#sql.exec<{ lo: number | null; hi: number | null }>(rangeQuery(this.#t, table)).toArray()[0];
    if (row?.lo == null || row.hi == null) return [];
    return Array.from({ length: row.hi - row.lo + 1 }, (_, i) => row.lo! + i);
  }

  /**
   * Removes the entries of erased predictions (each its hash and location) wherever they
   * are: pending (the hash becomes null, so no flush indexes it), in a run, in a generation.
   */
  forget(entries: readonly Candidate[]): void {
    const runs = JSON.stringify(this.#range("l0"));
    for (const { h, loc } of entries) {
      this.#sql.exec(
        `UPDATE ${this.#t}_pending SET hashes = json_replace(hashes, '$[' || (CAST(? AS INTEGER) - first) || ']', NULL) WHERE first <= ? AND first + n > ?`,
        loc, loc, loc,
      );
      const fromRuns = this.#sql.exec(`DELETE FROM ${this.#t}_l0 WHERE run IN (SELECT value FROM json_each(?)) AND h = ? AND loc = ?`, runs, h, loc).rowsWritten;
      this.#inRuns = Math.max(0, this.#inRuns - fromRuns);
      this.#sql.exec(`DELETE FROM ${this.#t}_l1 WHERE gen = ? AND h = ? AND loc = ?`, Math.floor(loc / this.#sizes.generationRows), h, loc);
    }
  }

  /**
   * Forgets generations wholly before `loc` (the first location still stored). Entries of
   * dropped locations left in the runs, the pending hashes or a partly kept generation
   * find no stored prediction; the caller skips them.
   */
  dropBefore(loc: number): void {
    this.#sql.exec(`DELETE FROM ${this.#t}_l1 WHERE gen < ?`, Math.floor(loc / this.#sizes.generationRows));
  }
}
