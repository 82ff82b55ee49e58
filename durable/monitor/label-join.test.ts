import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { joinHash, type JoinIndexSizes } from "./join-index.ts";
import { LabelJoinStore, subjectHash } from "./label-join.ts";

let counter = 0;

/** A fresh object's SQLite storage; `fn` runs inside the object. */
async function inObject<T>(fn: (storage: DurableObjectStorage) => T): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:join${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (_instance: ModelMonitor, state) => fn(state.storage));
}

const withStore = <T>(fn: (join: LabelJoinStore, storage: DurableObjectStorage) => T, sizes: Partial<JoinIndexSizes> = {}) =>
  inObject((storage) => fn(new LabelJoinStore(storage.sql, sizes), storage));

const batch = (ids: string[], first = 0) => ({ ids, predictions: ids.map((_, i) => (first + i) % 2), scores: ids.map((_, i) => (first + i) / 100) });
const minutes = (n: number, minute = 60_000) => new Array<number>(n).fill(minute);
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const tiny: Partial<JoinIndexSizes> = { mergeRows: 10, generationRows: 10, mergeSlices: 1 };

describe("joinHash", () => {
  it("is cyrb53, matching the values its author publishes", () => {
    // github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js (README examples)
    expect(joinHash("a")).toBe(7929297801672961);
    expect(joinHash("b")).toBe(8684336938537663);
    expect(joinHash("revenge")).toBe(4051478007546757);
    expect(joinHash("revenue")).toBe(8309097637345594);
    expect(Number.isSafeInteger(joinHash(crypto.randomUUID()))).toBe(true);
  });
});

describe("subjectHash", () => {
  it("hashes each subject apart, and apart from a prediction id spelled the same", () => {
    expect(subjectHash("alice")).toBe(subjectHash("alice"));
    expect(subjectHash("alice")).not.toBe(subjectHash("bob"));
    expect(subjectHash("alice")).not.toBe(joinHash("alice"));
  });
});

describe("LabelJoinStore", () => {
  it("finds each prediction with its minute, label and score whether its index entry is in memory, read back from the blocks or in a generation", async () => {
    const result = await withStore((join) => {
      const uuids = Array.from({ length: 35 }, () => crypto.randomUUID());
      join.append(batch(uuids), minutes(35, 120_000));
      const look = () => [...join.find([uuids[3]!, uuids[34]!, "absent"]).values()].sort((a, b) => a.loc - b.loc);
      const pending = look();
      join.reload(); // as after a restart: the tail is hashed again from the stored block
      const inRun = look();
      join.index.merge();
      return { pending, inRun, inGeneration: look(), count: join.count(), uuids, held: join.index.held };
    });
    expect(result.held).toBe(0);
    const expected = [
      { loc: 4, predictionId: result.uuids[3], minute: 120_000, prediction: 1, score: 0.03, labeled: false },
      { loc: 35, predictionId: result.uuids[34], minute: 120_000, prediction: 0, score: 0.34, labeled: false },
    ];
    expect(result.pending).toEqual(expected);
    expect(result.inRun).toEqual(expected);
    expect(result.inGeneration).toEqual(expected);
    expect(result.count).toBe(35);
  });

  it("keeps each row's own minute when a batch spans minutes, and its label and score as sent", async () => {
    const rows = await withStore((join) => {
      join.append({ ids: ["x", "y", "z"], predictions: ["3", true, 0], scores: [{ a: 0.25, b: 0.75 }, null, 0.5] }, [60_000, 180_000, 120_000]);
      return [...join.find(["x", "y", "z"]).values()].map((r) => [r.predictionId, r.minute, r.prediction, r.score]).sort();
    });
    expect(rows).toEqual([["x", 60_000, "3", { a: 0.25, b: 0.75 }], ["y", 180_000, true, null], ["z", 120_000, 0, 0.5]]);
  });

  it("joins a repeated prediction_id to its first prediction, in one batch or across index levels", async () => {
    const result = await withStore((join) => {
      join.append(batch(["a", "b", "a"]), minutes(3, 60_000));
      const sameBatch = join.find(["a"]).get("a")!.loc;
      join.index.merge();
      join.append(batch(["b", "c"]), minutes(2, 120_000)); // b again, in memory while the first is in a generation
      const b = join.find(["b"]).get("b")!;
      // The tail is probed before the generations, so here the later copy is the first candidate.
      join.reload();
      const inRun = join.find(["b"]).get("b")!;
      return { sameBatch, b: [b.loc, b.minute], inRun: [inRun.loc, inRun.minute] };
    }, tiny);
    expect(result.sameBatch).toBe(1);
    expect(result.b).toEqual([2, 60_000]);
    expect(result.inRun).toEqual([2, 60_000]);
  });

  it("checks each candidate against the stored id, so a hash collision never joins the wrong prediction", async () => {
    const found = await withStore((join, storage) => {
      join.append(batch(["impostor"]), minutes(1));
      // Give the impostor's location an index entry with the hash of "a" too.
      join.index.stage(1, [joinHash("a")]);
      const pending = join.find(["a"]).size;
      const inRun = storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_l1`).one().n;
      join.index.merge();
      return { pending, inRun, inGeneration: join.find(["a"]).size };
    });
    expect(found).toEqual({ pending: 0, inRun: 0, inGeneration: 0 });
  });

  it("holds entries in memory and moves them into generations once they fill, probing all of them", async () => {
    const result = await withStore((join, storage) => {
      const levels = () => ({
        pending: join.index.held,
        runs: 0,
        gens: storage.sql.exec<{ g: number }>(`SELECT DISTINCT gen AS g FROM join_l1 ORDER BY g`).toArray().map((r) => r.g),
      });
      const seen = [];
      for (let b = 0; b < 4; b++) {
        join.append(batch(ids(`b${b}`, 4)), minutes(4, (b + 1) * 60_000));
        join.index.step(false);
        seen.push(levels());
      }
      return { seen, found: [...join.find(["b0-0", "b1-3", "b2-1", "b3-3"]).keys()].sort() };
    }, tiny);
    expect(result.seen).toEqual([
      { pending: 4, runs: 0, gens: [] }, // 4 < mergeRows
      { pending: 8, runs: 0, gens: [] },
      { pending: 0, runs: 0, gens: [0, 1] }, // 12 ≥ mergeRows: locations 1–12 in generations 0 and 1
      { pending: 4, runs: 0, gens: [0, 1] },
    ]);
    expect(result.found).toEqual(["b0-0", "b1-3", "b2-1", "b3-3"]);
  });

  it("merges one slice of the hash space per step, and every prediction stays findable between steps", async () => {
    const result = await withStore((join, storage) => {
      const all = ids("p", 40);
      join.append(batch(all), minutes(40));
      const inRuns = () => join.index.held;
      const inGenerations = () => storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_l1`).one().n;
      const steps = [];
      for (let i = 0; i < 5; i++) {
        join.index.step(false);
        steps.push({ runs: inRuns(), gens: inGenerations(), found: join.find(all).size });
      }
      return steps;
    }, { mergeRows: 10, generationRows: 100, mergeSlices: 4 });
    // Each step moves the fullest quarter of the hash space.
    expect(result.map((s) => s.runs + s.gens)).toEqual([40, 40, 40, 40, 40]);
    expect(result.map((s) => s.found)).toEqual([40, 40, 40, 40, 40]);
    const moved = result.map((s) => s.gens);
    for (let i = 1; i < 4; i++) expect(moved[i]!).toBeGreaterThan(moved[i - 1]!);
    expect(moved[0]).toBeGreaterThan(0);
    expect(moved[3]).toBe(40);
    expect(moved[4]).toBe(40); // merge done: nothing left in memory
  });

  it("prunes blocks before the horizon, with their labels and whole index generations", async () => {
    const result = await withStore((join, storage) => {
      for (let b = 0; b < 4; b++) join.append(batch(ids(`b${b}`, 10)), minutes(10, (b + 1) * 60_000));
      join.index.merge();
      join.markLabeled(5);
      join.markLabeled(25);
      const gens = () => storage.sql.exec<{ g: number }>(`SELECT DISTINCT gen AS g FROM join_l1 ORDER BY g`).toArray().map((r) => r.g);
      const before = gens();
      const pruned = join.prune(3 * 60_000); // minutes 1 and 2 go: locations 1–20
      const labels = storage.sql.exec<{ loc: number }>(`SELECT loc FROM join_labeled`).toArray().map((r) => r.loc);
      return { before, pruned, after: gens(), labels, left: [...join.find(["b0-0", "b1-9", "b2-0", "b3-9"]).keys()].sort(), count: join.count(), again: join.prune(3 * 60_000) };
    }, tiny);
    expect(result.before).toEqual([0, 1, 2, 3, 4]);
    expect(result.pruned).toBe(20);
    // Location 21 (the first kept) is in generation 2; generations 0 and 1 are gone.
    expect(result.after).toEqual([2, 3, 4]);
    expect(result.labels).toEqual([25]);
    expect(result.left).toEqual(["b2-0", "b3-9"]);
    expect(result.count).toBe(20);
    expect(result.again).toBe(0);
  });

  it("caps the store in whole blocks, keeping the newest", async () => {
    const result = await withStore((join) => {
      for (let b = 0; b < 5; b++) join.append(batch(ids(`b${b}`, 10)), minutes(10));
      const dropped = join.cap(25); // the newest 25 are in the last 3 blocks (locations 21–50 kept)
      return { dropped, count: join.count(), found: [...join.find(["b1-9", "b2-0", "b4-9"]).keys()].sort(), again: join.cap(30) };
    });
    expect(result).toEqual({ dropped: 20, count: 30, found: ["b2-0", "b4-9"], again: 0 });
  });

  it("keeps the label of the first kept location through prune and cap, so a repeated actual is never counted twice", async () => {
    const result = await withStore((join) => {
      for (let b = 0; b < 4; b++) join.append(batch(ids(`b${b}`, 10)), minutes(10, (b + 1) * 60_000));
      // Location 21 is the first one prune keeps (minutes 1 and 2 go), and 31 the first one cap keeps.
      join.markLabeled(21);
      join.markLabeled(31);
      const pruned = join.prune(3 * 60_000);
      const afterPrune = join.find(["b2-0"]).get("b2-0");
      const capped = join.cap(10);
      const afterCap = join.find(["b3-0"]).get("b3-0");
      return { pruned, afterPrune: [afterPrune?.loc, afterPrune?.labeled], capped, afterCap: [afterCap?.loc, afterCap?.labeled] };
    });
    expect(result).toEqual({ pruned: 20, afterPrune: [21, true], capped: 10, afterCap: [31, true] });
  });

  it("reports a prediction joined earlier as labeled", async () => {
    const labeled = await withStore((join) => {
      join.append(batch(["a", "b"]), minutes(2));
      join.markLabeled(join.find(["b"]).get("b")!.loc);
      join.index.merge();
      return [...join.find(["a", "b"]).values()].map((r) => [r.predictionId, r.labeled]).sort();
    });
    expect(labeled).toEqual([["a", false], ["b", true]]);
  });

  it("re-reads its position after a rolled-back transaction, so the next block follows the stored ones", async () => {
    const result = await withStore((join, storage) => {
      join.append(batch(["kept"]), minutes(1));
      expect(() => storage.transactionSync(() => {
        join.append(batch(["rolled-back-1", "rolled-back-2"]), minutes(2));
        throw new Error("abort");
      })).toThrow("abort");
      join.reload();
      const held = join.index.held; // "kept", read back from its block; the rolled-back entries are gone
      join.append(batch(["after"]), minutes(1));
      join.index.merge();
      return { after: join.find(["after"]).get("after")?.loc, gone: join.find(["rolled-back-1"]).size, held, pending: join.index.held, count: join.count() };
    });
    expect(result).toEqual({ after: 2, gone: 0, held: 1, pending: 0, count: 2 });
  });

  it("moves an older object's predictions table (unique ids) into blocks, labels included, and drops it", async () => {
    const result = await inObject((storage) => {
      const sql = storage.sql;
      sql.exec(`CREATE TABLE predictions (seq INTEGER PRIMARY KEY, prediction_id TEXT NOT NULL UNIQUE, minute INTEGER NOT NULL, prediction TEXT NOT NULL, score TEXT, labeled INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(`INSERT INTO predictions (prediction_id, minute, prediction, score, labeled) VALUES ('old-1', 60000, '"yes"', NULL, 1), ('old-2', 120000, '0', '0.5', 0), ('old-3', 120000, '1', NULL, 1)`);
      const join = new LabelJoinStore(sql);
      const tables = sql.exec(`SELECT name FROM sqlite_master WHERE name = 'predictions'`).toArray().length;
      return { tables, rows: [...join.find(["old-1", "old-2", "old-3"]).values()].sort((a, b) => a.loc - b.loc), pending: join.index.held };
    });
    expect(result.tables).toBe(0);
    expect(result.pending).toBe(0);
    expect(result.rows).toEqual([
      { loc: 1, predictionId: "old-1", minute: 60000, prediction: "yes", score: null, labeled: true },
      { loc: 2, predictionId: "old-2", minute: 120000, prediction: 0, score: 0.5, labeled: false },
      { loc: 3, predictionId: "old-3", minute: 120000, prediction: 1, score: null, labeled: true },
    ]);
  });

  it("adds the subject column to an older object's label marks, keeping them", async () => {
    const result = await inObject((storage) => {
      const sql = storage.sql;
      sql.exec(`CREATE TABLE join_labeled (loc INTEGER PRIMARY KEY)`);
      sql.exec(`INSERT INTO join_labeled (loc) VALUES (1)`);
      const join = new LabelJoinStore(sql);
      join.markLabeled(2, "s-9");
      new LabelJoinStore(sql); // a second start finds the column and leaves it
      const columns = sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('join_labeled')`).toArray().map((c) => c.name);
      return { columns, bySubject: join.labeledBySubject("s-9"), among: join.labeledAmong([1, 2]) };
    });
    expect(result).toEqual({ columns: ["loc", "subject"], bySubject: [2], among: 2 });
  });

  it("keeps a batch whose newest prediction is not its first until all of it is past the horizon", async () => {
    const result = await withStore((join) => {
      join.append(batch(["a", "b", "c"]), [60_000, 180_000, 120_000]);
      const kept = join.prune(150_000); // the block's newest minute is 3: it stays whole
      const found = [...join.find(["a", "b", "c"]).values()].map((r) => [r.predictionId, r.minute]);
      const dropped = join.prune(240_000);
      return { kept, found, dropped, count: join.count() };
    });
    expect(result).toEqual({ kept: 0, found: [["a", 60_000], ["b", 180_000], ["c", 120_000]], dropped: 3, count: 0 });
  });

  it("finds each prediction with its segment keys, and none for a row or batch without", async () => {
    const result = await withStore((join) => {
      join.append(batch(["a", "b"]), minutes(2), [["region=north", "tier=gold"], null]);
      join.append(batch(["c"]), minutes(1));
      return [...join.find(["a", "b", "c"]).values()].map((r) => [r.predictionId, r.segments]).sort();
    });
    expect(result).toEqual([["a", ["region=north", "tier=gold"]], ["b", undefined], ["c", undefined]]);
  });

  it("stores a batch's data subjects with its block, none for a batch without, and nothing for an empty batch", async () => {
    const result = await withStore((join, storage) => {
      join.append({ ...batch(["a", "b"]), subjects: ["s-1", null] }, minutes(2));
      join.append(batch(["c"]), minutes(1));
      join.append(batch([]), []);
      const blocks = storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM join_blocks`).toArray()[0]!.n;
      return { withSubjects: join.blockAt(1)!.data[4], without: join.blockAt(3)!.data.length, blocks, next: join.next };
    });
    expect(result).toEqual({ withSubjects: ["s-1", null], without: 4, blocks: 2, next: 4 });
  });

  it("finds the first row of a block right after a cached one", async () => {
    const found = await withStore((join) => {
      join.append(batch(ids("x", 3)), minutes(3));
      join.append(batch(ids("y", 3)), minutes(3, 120_000));
      const first = join.find(["x-2"]).get("x-2")?.loc; // caches the first block (locations 1–3)
      const next = join.find(["y-0"]).get("y-0");
      const back = join.find(["x-0"]).get("x-0")?.loc; // a block before the cached ones
      return { first, next: [next?.loc, next?.predictionId, next?.minute], back, before: join.blockAt(3)?.first, after: join.blockAt(4)?.first, past: join.blockAt(7) };
    });
    expect(found).toEqual({ first: 3, next: [4, "y-0", 120_000], back: 1, before: 1, after: 4, past: undefined });
  });

  it("retention helpers: label marks by subject and by age, rows older than the horizon in mixed blocks, counting and removing marks", async () => {
    const result = await withStore((join) => {
      join.append(batch(["old-a", "old-b"]), minutes(2, 60_000)); // locations 1–2, minute 1
      join.append(batch(["mix-old", "mix-new", "mix-older"]), [60_000, 300_000, 0]); // 3–5, a backfill mixed with new
      join.append({ ...batch(["new-a", "gone"]), subjects: ["s-1", null] }, minutes(2, 300_000)); // 6–7
      join.append(batch(["edge-new", "edge-at", "edge-old"]), [300_000, 120_000, 60_000]); // 8–10
      join.markLabeled(1, "s-1");
      join.markLabeled(4, "s-2");
      join.markLabeled(6, "s-1");
      // Blank "mix-older" as erasure does: its row stays, its id goes.
      const block = join.blockAt(5)!;
      const data = structuredClone(block.data);
      (data[0] as (string | null)[])[2] = null;
      join.rewriteBlock(block.first, data);
      return {
        bySubject: join.labeledBySubject("s-1").sort((a, b) => a - b),
        bySubjectNone: join.labeledBySubject("s-3"),
        labeledBefore: join.labeledBefore(120_000).sort((a, b) => a - b),
        rowsBefore: join.rowsBefore(120_000).sort((a, b) => a - b),
        rowsBeforeAll: join.rowsBefore(400_000),
        erased: join.find(["mix-older"]).size,
        among: [join.labeledAmong([1, 2, 4, 6]), join.labeledAmong([2, 3]), join.labeledAmong([])],
        unmarked: [join.unmarkLabeled([1, 5]), join.unmarkLabeled([]), join.labeledAmong([1, 4, 6])],
      };
    });
    expect(result).toEqual({
      bySubject: [1, 6],
      bySubjectNone: [],
      // Only block 1 is stamped wholly before minute 2; the mixed block waits for its newest row.
      labeledBefore: [1],
      // Mixed blocks only (a compact block goes whole through prune): "mix-old" and "edge-old"; "mix-older" was erased.
      // The row stamped exactly at the horizon stays.
      rowsBefore: [3, 10],
      // Past every minute, the mixed block is not "mixed" any more: prune takes it whole.
      rowsBeforeAll: [],
      erased: 0,
      among: [3, 0, 0],
      unmarked: [1, 0, 2],
    });
  });
});
