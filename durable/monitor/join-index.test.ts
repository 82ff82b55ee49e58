// The join index's upkeep at its edges: when a run is flushed and a merge starts (exactly
// at the configured sizes), how a merge ends so that the next can start, and counts that
// survive the object leaving memory. label-join.test.ts covers lookups through the store.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { JoinIndex, joinHash, rangeQuery, type JoinIndexSizes } from "./join-index.ts";

let counter = 0;

/** A fresh object's SQLite; `fn` runs inside the object. */
async function inObject<T>(fn: (sql: SqlStorage) => T): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:index${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (_instance: ModelMonitor, state) => fn(state.storage.sql));
}

const hashes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => joinHash(`${prefix}-${i}`));
const levels = (sql: SqlStorage) => ({
  pending: sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_pending`).one().n,
  runs: sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_l0`).one().n,
  gens: sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_l1`).one().n,
});

describe("JoinIndex upkeep", () => {
  it("sorts pending entries into a run at exactly runRows, or on a quiet tick whatever waits", async () => {
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 4, mergeRows: 100 });
      const seen = [];
      index.stage(1, hashes("a", 3));
      index.step(false);
      seen.push(index.pending); // 3 < 4: waits
      index.step(true);
      seen.push(index.pending); // quiet tick: flushed
      index.stage(4, hashes("b", 4));
      index.step(false);
      seen.push(index.pending); // exactly 4: flushed
      return { seen, levels: levels(sql) };
    });
    expect(result.seen).toEqual([3, 0, 0]);
    expect(result.levels).toEqual({ pending: 0, runs: 7, gens: 0 });
  });

  it("starts a merge at exactly mergeRows entries in runs, moves one slice per step, and merges again once runs refill", async () => {
    const sizes: Partial<JoinIndexSizes> = { runRows: 1, mergeRows: 6, generationRows: 1000, mergeSlices: 2 };
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, sizes);
      const trace = [];
      index.stage(1, hashes("a", 5));
      index.step(false); // a run of 5: below mergeRows
      trace.push(levels(sql));
      index.stage(6, hashes("b", 1));
      index.step(false); // 6 in runs: the merge starts and moves slice 0
      trace.push(levels(sql));
      index.step(false); // slice 1: the merge is done
      trace.push(levels(sql));
      index.stage(7, hashes("c", 5));
      index.step(false); // 5 new entries in runs: no merge yet
      trace.push(levels(sql));
      index.stage(12, hashes("d", 1));
      index.step(false);
      index.step(false); // the second merge, both slices
      trace.push(levels(sql));
      return trace;
    });
    expect(result[0]).toEqual({ pending: 0, runs: 5, gens: 0 });
    expect(result[1]!.runs + result[1]!.gens).toBe(6);
    expect(result[1]!.gens).toBeLessThan(6);
    expect(result[2]).toEqual({ pending: 0, runs: 0, gens: 6 });
    expect(result[3]).toEqual({ pending: 0, runs: 5, gens: 6 });
    expect(result[4]).toEqual({ pending: 0, runs: 0, gens: 12 });
  });

  it("moves the entries of one half of the hash space in the first of two slices", async () => {
    const staged = hashes("h", 40);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 1, mergeRows: 40, generationRows: 1000, mergeSlices: 2 });
      index.stage(1, staged);
      index.step(false);
      return sql.exec<{ h: number }>(`SELECT h FROM join_l1 ORDER BY h`).toArray().map((r) => r.h);
    });
    expect(result).toEqual(staged.filter((h) => h < 2 ** 52).sort((a, b) => a - b));
  });

  it("reads its counts back from SQLite, as when the object is rebuilt after leaving memory", async () => {
    const result = await inObject((sql) => {
      const first = new JoinIndex(sql, { runRows: 100, mergeRows: 8, mergeSlices: 1 });
      first.stage(1, hashes("a", 5));
      first.flush();
      first.stage(6, hashes("b", 3));
      const rebuilt = new JoinIndex(sql, { runRows: 100, mergeRows: 8, mergeSlices: 1 });
      const pending = rebuilt.pending;
      rebuilt.step(true); // 5 in runs + 3 flushed = 8: the merge starts
      return { pending, levels: levels(sql), found: rebuilt.candidates(hashes("b", 3)).map((c) => c.loc).sort() };
    });
    expect(result.pending).toBe(3);
    expect(result.levels).toEqual({ pending: 0, runs: 0, gens: 8 });
    expect(result.found).toEqual([6, 7, 8]);
  });

  it("can start the next merge on the step right after one ends", async () => {
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 1, mergeRows: 2, generationRows: 1000, mergeSlices: 1 });
      index.stage(1, hashes("a", 2));
      index.step(false); // flush and the whole merge (one slice)
      index.stage(3, hashes("b", 2));
      index.step(false); // flush: 2 in runs again, so the next merge runs now
      return levels(sql);
    });
    expect(result).toEqual({ pending: 0, runs: 0, gens: 4 });
  });

  it("leaves a run written during a merge to the slices still to come: its earlier slices wait", async () => {
    const late = hashes("late", 20);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 1, mergeRows: 6, generationRows: 1000, mergeSlices: 2 });
      index.stage(1, hashes("a", 6));
      index.step(false); // the merge starts: slice 0 moves
      index.stage(7, late);
      index.step(false); // a new run, then slice 1 of both runs
      return sql.exec<{ h: number }>(`SELECT h FROM join_l0 ORDER BY h`).toArray().map((r) => r.h);
    });
    expect(result).toEqual(late.filter((h) => h < 2 ** 52).sort((a, b) => a - b));
  });

  it("counts entries forgotten from runs, so the next merge starts at mergeRows real entries", async () => {
    const staged = hashes("e", 4);
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 100, mergeRows: 4, generationRows: 1000, mergeSlices: 1 });
      index.stage(1, staged);
      index.flush();
      index.forget([{ h: staged[0]!, loc: 1 }]);
      index.step(false); // 3 in runs: no merge
      const before = levels(sql);
      index.stage(5, hashes("f", 1));
      index.step(true); // 4 in runs: the merge
      return { before, after: levels(sql) };
    });
    expect(result.before).toEqual({ pending: 0, runs: 3, gens: 0 });
    expect(result.after).toEqual({ pending: 0, runs: 0, gens: 4 });
  });

  it("finds its run and generation ranges by seeking the primary key, never by scanning a level", async () => {
    const result = await inObject((sql) => {
      const index = new JoinIndex(sql, { runRows: 2, mergeRows: 4, generationRows: 2, mergeSlices: 1 });
      new JoinIndex(sql, {}, "join_subject");
      for (let b = 0; b < 4; b++) {
        index.stage(1 + 2 * b, hashes(`r${b}`, 2));
        index.step(false);
      }
      index.stage(9, hashes("r4", 2));
      index.flush();
      const plan = (query: string) => sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`).toArray().map((r) => r.detail);
      return {
        ranges: (["l0", "l1"] as const).map((t) => sql.exec<{ lo: number; hi: number }>(rangeQuery("join", t)).one()),
        plans: (["l0", "l1"] as const).flatMap((t) => plan(rangeQuery("join", t))),
        subjectPlans: (["l0", "l1"] as const).flatMap((t) => plan(rangeQuery("join_subject", t))),
      };
    });
    // Locations 1-8 merged into generations 0-4 (2 locations each); the runs were emptied by the merge, so the last flush is run 1 again.
    expect(result.ranges).toEqual([{ lo: 1, hi: 1 }, { lo: 0, hi: 4 }]);
    for (const detail of [...result.plans, ...result.subjectPlans]) expect(detail).not.toMatch(/^SCAN (join|join_subject)_l[01]\b/);
    expect(result.plans.filter((d) => /^SEARCH join_l[01] USING PRIMARY KEY/.test(d))).toHaveLength(4);
  });
});
