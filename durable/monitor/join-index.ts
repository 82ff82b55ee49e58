// The label join's index: a 53-bit hash of each prediction_id → its location (`loc`, the
// prediction's number in arrival order). The newest entries (the tail) are held in memory
// only, in one open-addressing table per slice of the hash space; a table moves, sorted,
// into the generations in SQLite once it holds MERGE_ROWS / MERGE_SLICES entries:
//   join_l1       generations, (gen, h, loc), gen = loc / GENERATION_ROWS: each move brings
//                 one slice's ~50k entries at once, so each page of a generation takes many
//                 entries per write and random ids (UUIDv4) cost no random page write per
//                 event; one slice per alarm tick, so no tick stalls on a whole merge
//   join_merged   per slice, the location below which its entries are in join_l1
// The tail needs no table of its own: what it holds is exactly the stored predictions
// (join_blocks, label-join.ts) at or past each slice's mark, which `reload` hashes again
// when the object starts or a transaction rolled back. Earlier versions also wrote every
// entry to a pending table and to sorted runs before the generations (three writes per
// entry; the index's upkeep was ~40 % of the object's CPU at 100k events/s,
// docs/benchmarks.md, issue 23 session 12); an object that still has them moves them into
// the generations once. The price: up to ~16 MB of tables per index under full load (a
// quiet tick moves what is held and gives them back), and a start reads back up to
// MERGE_ROWS entries' blocks.
// A lookup probes the tail in memory and every generation (≤ cap / GENERATION_ROWS
// probes). Entries are candidates only: a hash can collide, so the caller checks each
// against the stored id.

import { type Candidate, Tail } from "./join-tail.ts";

/** Entries held in memory before their slices move into the generations. */
export const MERGE_ROWS = 400_000;
/** Generation size in locations: ≤ 11 generations for the 20M-prediction cap. */
export const GENERATION_ROWS = 2_000_000;
/** The tail is held, and moved, in this many slices of the hash space. */
export const MERGE_SLICES = 8;
/**
 * Entries per statement when a slice moves: ≤ ~1 MB of JSON text (~30 bytes each), under
 * the 2 MB a string may have in a Durable Object's SQLite on Cloudflare (local workerd does
 * not enforce it). A slice waiting its turn under load can hold well past 50k entries.
 */
export const MOVE_CHUNK = 32_768;
/** Hashes are below 2^53. */
const HASH_SPACE = 2 ** 53;

/**
 * The tables of one index, named from a fixed prefix (never a caller's value): "join" for
 * prediction ids, "join_subject" for data subjects (label-join.ts). A staged hash may be
 * null (a row without a subject, or one erased): it is never indexed.
 */
const schema = (t: string) => [
  `CREATE TABLE IF NOT EXISTS ${t}_l1 (gen INTEGER NOT NULL, h INTEGER NOT NULL, loc INTEGER NOT NULL, PRIMARY KEY (gen, h, loc)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ${t}_merged (slice INTEGER PRIMARY KEY, below INTEGER NOT NULL)`,
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
  mergeRows: number;
  generationRows: number;
  mergeSlices: number;
}

export type { Candidate } from "./join-tail.ts";

/** One stored block's hashes (locations first, first + 1, …), as `stage` took them. */
export interface StagedBlock {
  first: number;
  hashes: readonly (number | null)[];
}

/** Where the tail is read back from: the stored predictions (label-join.ts). */
export interface IndexSource {
  /** Every stored block that holds a location at or past `from`, in order. */
  blocksFrom(from: number): Iterable<StagedBlock>;
  /** The location the next stored prediction takes. */
  next(): number;
}

const NO_SOURCE: IndexSource = { blocksFrom: () => [], next: () => 1 };

/**
 * The lowest and highest generation number. Two scalar subqueries, not
 * `SELECT MIN(x), MAX(x)`: SQLite answers a lone MIN or MAX from the primary key's first
 * column in one seek, but both in one SELECT scan the whole table (EXPLAIN QUERY PLAN:
 * "SCAN"; 0.2 s at 2M entries), which every lookup paid.
 */
export function rangeQuery(prefix: IndexPrefix): string {
  const from = `${prefix}_l1`;
  return `SELECT (SELECT MIN(gen) FROM ${from}) AS lo, (SELECT MAX(gen) FROM ${from}) AS hi`;
}

const tableExists = (sql: SqlStorage, name: string): boolean => sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, name).toArray().length > 0;

export class JoinIndex {
  readonly #sql: SqlStorage;
  readonly #sizes: JoinIndexSizes;
  readonly #t: IndexPrefix;
  readonly #source: IndexSource;
  readonly #tails: Tail[];
  readonly #sliceWidth: number;
  /** Per slice: its entries below this location are in the generations. */
  #below: number[];
  /** Past the last location staged (or read back). */
  #end = 0;

  /**
   * `sizes` is for tests, which cannot write millions of rows to cross a generation;
   * `source` reads the tail back from the stored predictions (none: an index of its own, in tests).
   */
  constructor(sql: SqlStorage, sizes: Partial<JoinIndexSizes> = {}, prefix: IndexPrefix = "join", source: IndexSource = NO_SOURCE) {
    this.#sql = sql;
    this.#sizes = { mergeRows: MERGE_ROWS, generationRows: GENERATION_ROWS, mergeSlices: MERGE_SLICES, ...sizes };
    this.#t = prefix;
    this.#source = source;
    for (const statement of schema(prefix)) sql.exec(statement);
    this.#tails = Array.from({ length: this.#sizes.mergeSlices }, () => new Tail());
    this.#sliceWidth = HASH_SPACE / this.#sizes.mergeSlices;
    this.#below = [];
    this.#migrateLevels();
    this.reload();
  }

  /**
   * An object indexed before the tail was held in memory: its pending entries and sorted
   * runs move into the generations, and every slice is marked as indexed up to the next
   * location (everything stored was staged then).
   */
  #migrateLevels(): void {
    const t = this.#t;
    const pending = tableExists(this.#sql, `${t}_pending`);
    const runs = tableExists(this.#sql, `${t}_l0`);
    if (!pending && !runs) return;
    if (runs) {
      this.#sql.exec(`INSERT OR IGNORE INTO ${t}_l1 (gen, h, loc) SELECT loc / CAST(? AS INTEGER), h, loc FROM ${t}_l0 ORDER BY 1, 2, 3`, this.#sizes.generationRows);
      this.#sql.exec(`DROP TABLE ${t}_l0`);
    }
    if (pending) {
      this.#sql.exec(
        `INSERT OR IGNORE INTO ${t}_l1 (gen, h, loc) SELECT (p.first + j.key) / CAST(? AS INTEGER), j.value, p.first + j.key FROM ${t}_pending AS p, json_each(p.hashes) AS j
         WHERE j.value IS NOT NULL ORDER BY 1, 2, 3`,
        this.#sizes.generationRows,
      );
      this.#sql.exec(`DROP TABLE ${t}_pending`);
    }
    const next = this.#source.next();
    for (let slice = 0; slice < this.#sizes.mergeSlices; slice++) this.#setBelow(slice, next);
  }

  /** Marks a slice's entries below `below` as in the generations, in SQLite and in memory. */
  #setBelow(slice: number, below: number): void {
    this.#below[slice] = below;
    this.#sql.exec(`INSERT INTO ${this.#t}_merged (slice, below) VALUES (?, ?) ON CONFLICT (slice) DO UPDATE SET below = excluded.below`, slice, below);
  }

  /** The slice of the hash space `h` falls in. */
  #sliceOf(h: number): number {
    const slice = Math.floor(h / this.#sliceWidth);
    return slice < this.#tails.length ? slice : this.#tails.length - 1;
  }

  /** Reads the tail back from the stored predictions: on start, and after a transaction rolled back. */
  reload(): void {
    const slices = this.#sizes.mergeSlices;
    this.#below = new Array<number>(slices).fill(0);
    for (const { slice, below } of this.#sql.exec<{ slice: number; below: number }>(`SELECT slice, below FROM ${this.#t}_merged`)) {
      if (slice < slices) this.#below[slice] = below;
    }
    for (const tail of this.#tails) tail.clear(true);
    this.#end = 0;
    const from = Math.min(...this.#below);
    for (const block of this.#source.blocksFrom(from)) this.stage(block.first, block.hashes);
  }

  /**
   * Indexes a block's hashes (locations first, first + 1, …), held in memory until their
   * slice moves. The block itself must be stored in the same transaction (the tail is
   * read back from it).
   */
  stage(first: number, hashes: readonly (number | null)[]): void {
    this.#end = Math.max(this.#end, first + hashes.length);
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i];
      if (h == null) continue;
      const loc = first + i;
      const slice = this.#sliceOf(h);
      if (loc >= this.#below[slice]!) this.#tails[slice]!.add(h, loc);
    }
  }

  /** Entries held in memory, not yet in the generations. */
  get held(): number {
    let n = 0;
    for (const tail of this.#tails) n += tail.size;
    return n;
  }

  /**
   * One step of upkeep (each alarm tick): moves the fullest slice into the generations once
   * it holds its share of MERGE_ROWS, or on a quiet tick (`force`) whatever it holds, so an
   * idle object's tail drains and a restart has little to read back.
   */
  step(force: boolean): void {
    let fullest = 0;
    for (let slice = 1; slice < this.#tails.length; slice++) if (this.#tails[slice]!.size > this.#tails[fullest]!.size) fullest = slice;
    const size = this.#tails[fullest]!.size;
    const share = this.#sizes.mergeRows / this.#sizes.mergeSlices;
    if (size >= share) this.#moveSlice(fullest, false);
    else if (force && size > 0) this.#moveSlice(fullest, true);
    // A slice that holds nothing has everything staged for it in the generations: its mark
    // moves on too (once it lags by a share, or on a quiet tick), or a start would read back
    // every block since, e.g. the subject index of traffic without subjects, never moved.
    for (let slice = 0; slice < this.#tails.length; slice++) {
      if (this.#tails[slice]!.size === 0 && this.#end - this.#below[slice]! >= (force ? 1 : share)) {
        this.#setBelow(slice, this.#end);
      }
    }
  }

  /** Moves every slice into the generations at once. */
  merge(): void {
    for (let slice = 0; slice < this.#tails.length; slice++) this.#moveSlice(slice, true);
  }

  /**
   * Moves one slice's tail into the generations, sorted by hash so each generation page
   * is written once. The entries go to SQLite as one JSON object, location → hash: its
   * members come out of json_each in the order written, so no sort in SQLite, and a
   * flat object parses several times faster than an array of pairs.
   */
  #moveSlice(slice: number, shrink: boolean): void {
    const tail = this.#tails[slice]!;
    const { h, loc } = tail.sorted();
    for (let from = 0; from < h.length; from += MOVE_CHUNK) {
      const to = Math.min(h.length, from + MOVE_CHUNK);
      const parts = new Array<string>(to - from);
      for (let i = from; i < to; i++) parts[i - from] = `"${loc[i]}":${h[i]}`;
      this.#sql.exec(
        `INSERT OR IGNORE INTO ${this.#t}_l1 (gen, h, loc) SELECT CAST(key AS INTEGER) / CAST(? AS INTEGER), value, CAST(key AS INTEGER) FROM json_each(?)`,
        this.#sizes.generationRows, `{${parts.join(",")}}`,
      );
    }
    // Everything staged so far is in the generations or was forgotten.
    this.#setBelow(slice, Math.max(this.#below[slice]!, this.#end));
    tail.clear(shrink);
  }

  /** Every location whose hash is one of `hashes`, in the tail or in a generation. */
  candidates(hashes: readonly number[]): Candidate[] {
    const out: Candidate[] = [];
    if (hashes.length === 0) return out;
    const distinct = [...new Set(hashes)];
    for (const h of distinct) this.#tails[this.#sliceOf(h)]!.find(h, out);
    const wanted = JSON.stringify(distinct);
    // CROSS JOIN fixes the order: one index probe per wanted hash (the planner would
    // otherwise scan the generation).
    for (const gen of this.#generations()) {
      for (const row of this.#sql.exec<{ h: number; loc: number }>(
        `SELECT x.h, x.loc FROM json_each(?) AS q CROSS JOIN ${this.#t}_l1 AS x WHERE x.gen = ? AND x.h = q.value`, wanted, gen,
      )) out.push(row);
    }
    return out;
  }

  /** Every generation number from the lowest to the highest present. */
  #generations(): number[] {
    const row = this.#sql.exec<{ lo: number | null; hi: number | null }>(rangeQuery(this.#t)).toArray()[0];
    if (row?.lo == null || row.hi == null) return [];
    return Array.from({ length: row.hi - row.lo + 1 }, (_, i) => row.lo! + i);
  }

  /**
   * Removes the entries of erased predictions (each its hash and location) wherever they
   * are: in the tail (the erased row's stored id is blanked too, so a reload does not bring
   * it back), in a generation.
   */
  forget(entries: readonly Candidate[]): void {
    for (const { h, loc } of entries) {
      this.#tails[this.#sliceOf(h)]!.remove(h, loc);
      this.#sql.exec(`DELETE FROM ${this.#t}_l1 WHERE gen = ? AND h = ? AND loc = ?`, Math.floor(loc / this.#sizes.generationRows), h, loc);
    }
  }

  /**
   * Forgets generations wholly before `loc` (the first location still stored). Entries of
   * dropped locations left in the tail or a partly kept generation find no stored
   * prediction; the caller skips them.
   */
  dropBefore(loc: number): void {
    this.#sql.exec(`DELETE FROM ${this.#t}_l1 WHERE gen < ?`, Math.floor(loc / this.#sizes.generationRows));
  }
}
