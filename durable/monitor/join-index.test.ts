// The join index's upkeep at its edges: when a slice of the tail moves into the
// generations (exactly at its share of the configured size, or on a quiet tick), what a
// reload reads back from the stored blocks, and how an object indexed before the tail
// was held in memory moves its pending entries and runs. label-join.test.ts covers
// lookups through the store.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { JoinIndex, joinHash, MOVE_CHUNK, rangeQuery, type IndexSource, type StagedBlock } from "./join-index.ts";

let counter = 0;

/** A fresh object's SQLite; `fn` runs inside the object. */
async function inObject<T>(fn: (sql: SqlStorage) => T): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:index${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (_instance: ModelMonitor, state) => fn(state.storage.sql));
}

const hashes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => joinHash(`${prefix}-${i}`));
const HALF = 2 ** 52;
const inGenerations = (sql: SqlStorage) => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_l1`).one().n;
/** Stands for the stored blocks: what was staged, kept as a list. */
function blocks(): IndexSource & { stored: StagedBlock[] } {
  const stored: StagedBlock[] = [];
  return { stored, blocksFrom: (from) => stored.filter((b) => b.first + b.hashes.length > from), next: () => (stored.at(-1) ? stored.at(-1)!.first + stored.at(-1)!.hashes.length : 1) };
}

describe("JoinIndex upkeep", () => {
  it("moves a slice at exactly its share of mergeRows, the fullest first, one per step, and on a quiet tick whatever it holds", async () => {
    // Ids chosen so that slice 0 (the lower half of the hash space) gets exactly 3 and slice 1 exactly 2.
    const all = hashes("s", 200);
    const low = all.filter((h) => h < HALF).slice(0, 4);
    const high = all.filter((h) => h >= HALF).slice(0, 3);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 8, generationRows: 1000, mergeSlices: 2 });
      const trace = [];
      index.stage(1, [low[0]!, low[1]!, low[2]!, high[0]!, high[1]!]);
      index.step(false); // 3 and 2 < 4 (8 / 2): nothing moves
      trace.push([index.held, inGenerations(sql)]);
      index.stage(6, [low[3]!, high[2]!]);
      index.step(false); // slice 0 holds 4: it moves, slice 1 (3) waits
      trace.push([index.held, inGenerations(sql)]);
      index.step(false);
      trace.push([index.held, inGenerations(sql)]);
      index.step(true); // quiet: slice 1 moves with 3
      trace.push([index.held, inGenerations(sql)]);
      index.step(true); // nothing left
      trace.push([index.held, inGenerations(sql)]);
      return { trace, found: index.candidates([low[3]!, high[0]!]).map((c) => c.loc).sort() };
    });
    expect(result.trace).toEqual([[5, 0], [3, 4], [3, 4], [0, 7], [0, 7]]);
    expect(result.found).toEqual([4, 6]);
  });

  it("moves one slice's entries into the generations, sorted", async () => {
    const staged = hashes("h", 40);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 2, generationRows: 1000, mergeSlices: 2 });
      index.stage(1, staged);
      index.step(false);
      return sql.exec<{ h: number; loc: number }>(`SELECT h, loc FROM join_l1`).toArray().map((r) => [r.h, r.loc]);
    });
    const low = staged.map((h, i) => [h, i + 1] as const).filter(([h]) => h < HALF);
    const high = staged.map((h, i) => [h, i + 1] as const).filter(([h]) => h >= HALF);
    const moved = low.length >= high.length ? low : high;
    expect(result).toEqual([...moved].sort((a, b) => a[0] - b[0]));
  });

  it("moves a slice larger than one statement's chunk whole, in hash order", async () => {
    const n = 2 * MOVE_CHUNK + 17;
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 10 * n, generationRows: 10 * n, mergeSlices: 1 });
      index.stage(1, hashes("big", n));
      index.merge();
      const rows = sql.exec<{ h: number; loc: number }>(`SELECT h, loc FROM join_l1`).toArray();
      return { held: index.held, rows: rows.length, lastLoc: Math.max(...rows.map((r) => r.loc)), locs: new Set(rows.map((r) => r.loc)).size };
    });
    expect(result).toEqual({ held: 0, rows: n, lastLoc: n, locs: n });
  });

  it("keeps every location of a hash held more than once, and files each under its own generation", async () => {
    const h = joinHash("twice");
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 100, generationRows: 3, mergeSlices: 1 });
      index.stage(1, [h, null, joinHash("x"), h, h]);
      const held = index.candidates([h]).map((c) => c.loc).sort();
      index.merge();
      return { held, rows: sql.exec<{ gen: number; loc: number }>(`SELECT gen, loc FROM join_l1 WHERE h = ? ORDER BY loc`, h).toArray().map((r) => [r.gen, r.loc]) };
    });
    expect(result.held).toEqual([1, 4, 5]);
    expect(result.rows).toEqual([[0, 1], [1, 4], [1, 5]]);
  });

  it("reads its tail back from the stored blocks, without what a slice already moved, as when the object is rebuilt", async () => {
    const all = hashes("r", 60);
    const result = await inObject((sql) => {
      const source = blocks();
      const sizes = { mergeRows: 2 * all.filter((h) => h < HALF).length, generationRows: 1000, mergeSlices: 2 };
      const first = new JoinIndex(sql, sizes, "join", source);
      for (let b = 0; b < 3; b++) {
        const block = { first: 1 + 20 * b, hashes: all.slice(20 * b, 20 * b + 20) };
        source.stored.push(block);
        first.stage(block.first, block.hashes);
      }
      first.step(false); // the lower half moves (it holds exactly its share), the upper half stays in memory
      const moved = inGenerations(sql);
      source.stored.push({ first: 61, hashes: [joinHash("late")] });
      first.stage(61, [joinHash("late")]);
      const rebuilt = new JoinIndex(sql, sizes, "join", source);
      const locs = rebuilt.candidates([...all, joinHash("late")]).map((c) => c.loc).sort((a, b) => a - b);
      return { moved, held: [first.held, rebuilt.held], locs };
    });
    const lower = all.filter((h) => h < HALF).length;
    expect(result.moved).toBe(lower);
    expect(result.held).toEqual([60 - lower + 1, 60 - lower + 1]);
    // Every location found once: the moved ones in the generation, the others in memory.
    expect(result.locs).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
  });

  it("moves an empty slice's mark on, so a start reads back nothing for an index that holds nothing", async () => {
    const result = await inObject((sql) => {
      const source = blocks();
      const sizes = { mergeRows: 20, generationRows: 1000, mergeSlices: 2 };
      const index = new JoinIndex(sql, sizes, "join_subject", source);
      const marks = () => sql.exec<{ below: number }>(`SELECT below FROM join_subject_merged ORDER BY slice`).toArray().map((r) => r.below);
      const trace = [];
      for (let b = 0; b < 3; b++) {
        const block = { first: 1 + 6 * b, hashes: new Array<null>(6).fill(null) }; // rows without a subject
        source.stored.push(block);
        index.stage(block.first, block.hashes);
        index.step(false);
        trace.push(marks());
      }
      index.step(true);
      trace.push(marks());
      let read = 0;
      new JoinIndex(sql, sizes, "join_subject", { ...source, blocksFrom: (from) => [...source.blocksFrom(from)].filter(() => ++read > 0) });
      return { trace, read };
    });
    // A share is 10 locations: the marks move at 13 (12 staged past 0), then wait; a quiet tick moves them to the end.
    expect(result.trace).toEqual([[], [13, 13], [13, 13], [19, 19]]);
    expect(result.read).toBe(0);
  });

  it("moves an older object's pending entries and runs into the generations and drops their tables", async () => {
    const result = await inObject((sql) => {
      sql.exec(`CREATE TABLE join_pending (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, hashes TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE join_l0 (run INTEGER NOT NULL, h INTEGER NOT NULL, loc INTEGER NOT NULL, PRIMARY KEY (run, h, loc)) WITHOUT ROWID`);
      sql.exec(`INSERT INTO join_l0 (run, h, loc) VALUES (1, ?, 1), (1, ?, 2)`, joinHash("a"), joinHash("b"));
      sql.exec(`INSERT INTO join_pending (first, n, hashes) VALUES (3, 2, ?)`, JSON.stringify([joinHash("c"), null]));
      const source = blocks();
      source.stored.push({ first: 1, hashes: [joinHash("a"), joinHash("b"), joinHash("c"), null] });
      const index = new JoinIndex(sql, { mergeSlices: 2 }, "join", source);
      const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE name IN ('join_pending', 'join_l0')`).toArray().length;
      return {
        tables,
        held: index.held,
        rows: sql.exec<{ loc: number }>(`SELECT loc FROM join_l1 ORDER BY loc`).toArray().map((r) => r.loc),
        below: sql.exec<{ below: number }>(`SELECT below FROM join_merged ORDER BY slice`).toArray().map((r) => r.below),
        found: index.candidates(["a", "b", "c"].map(joinHash)).map((c) => c.loc).sort(),
      };
    });
    expect(result).toEqual({ tables: 0, held: 0, rows: [1, 2, 3], below: [5, 5], found: [1, 2, 3] });
  });

  it("forgets an entry wherever it is, and a later move or lookup does not bring it back", async () => {
    const staged = hashes("f", 4);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 100, generationRows: 1000, mergeSlices: 1 });
      index.stage(1, staged.slice(0, 2));
      index.merge();
      index.stage(3, staged.slice(2));
      index.forget([{ h: staged[0]!, loc: 1 }, { h: staged[2]!, loc: 3 }]);
      const held = index.held;
      index.merge();
      return { held, found: index.candidates(staged).map((c) => c.loc).sort() };
    });
    expect(result).toEqual({ held: 1, found: [2, 4] });
  });

  it("finds its generation range by seeking the primary key, never by scanning", async () => {
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { mergeRows: 2, generationRows: 2, mergeSlices: 1 });
      new JoinIndex(sql, {}, "join_subject");
      for (let b = 0; b < 5; b++) {
        index.stage(1 + 2 * b, hashes(`r${b}`, 2));
        index.step(false);
      }
      const plan = (query: string) => sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`).toArray().map((r) => r.detail);
      return { range: sql.exec<{ lo: number; hi: number }>(rangeQuery("join")).one(), plans: plan(rangeQuery("join")), subjectPlans: plan(rangeQuery("join_subject")) };
    });
    // Locations 1-10 in generations 0-5 (2 locations each).
    expect(result.range).toEqual({ lo: 0, hi: 5 });
    for (const detail of [...result.plans, ...result.subjectPlans]) expect(detail).not.toMatch(/^SCAN (join|join_subject)_l1\b/);
    expect(result.plans.filter((d) => /^SEARCH join_l1 USING PRIMARY KEY/.test(d))).toHaveLength(2);
  });
});
