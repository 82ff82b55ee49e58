import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitor } from "../model-monitor.ts";
import { LabelJoinStore, joinHash } from "./label-join.ts";

let counter = 0;

/** A LabelJoinStore on a fresh object's SQLite; `fn` runs inside the object. */
async function withSql<T>(fn: (sql: SqlStorage) => T): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:join${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (instance: ModelMonitor) => fn(instance.ctx.storage.sql));
}

const batch = (ids: string[], first = 0) => ({ ids, predictions: ids.map((_, i) => (first + i) % 2), scores: ids.map((_, i) => (first + i) / 100) });
const minutes = (n: number, minute = 60_000) => new Array<number>(n).fill(minute);

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

describe("LabelJoinStore", () => {
  it("finds the same predictions before and after they are indexed, each with its minute, label and score", async () => {
    const result = await withSql((sql) => {
      const join = new LabelJoinStore(sql, 10);
      const ids = Array.from({ length: 35 }, () => crypto.randomUUID());
      join.append(batch(ids), minutes(35, 120_000));
      const waiting = join.find([ids[3]!, ids[34]!, "absent"]);
      const indexed = join.indexPending();
      const afterIndex = join.find([ids[3]!, ids[34]!, "absent"]);
      return { waiting: [...waiting.values()], afterIndex: [...afterIndex.values()], indexed, left: join.unindexed(), count: join.count(), ids };
    });
    expect(result.indexed).toBe(35);
    expect(result.left).toBe(0);
    expect(result.count).toBe(35);
    const expected = [
      { seq: 4, prediction_id: result.ids[3], minute: 120_000, prediction: "1", score: "0.03", labeled: 0 },
      { seq: 35, prediction_id: result.ids[34], minute: 120_000, prediction: "0", score: "0.34", labeled: 0 },
    ];
    expect(result.waiting.sort((a, b) => a.seq - b.seq)).toEqual(expected);
    expect(result.afterIndex.sort((a, b) => a.seq - b.seq)).toEqual(expected);
  });

  it("keeps JSON forms: a string label stays a string, a score object stays an object, no score is null", async () => {
    const row = await withSql((sql) => {
      const join = new LabelJoinStore(sql);
      join.append({ ids: ["x", "y"], predictions: ["3", true], scores: [{ a: 0.25, b: 0.75 }, null] }, [0, 0]);
      return [...join.find(["x", "y"]).values()].map((r) => [r.prediction, r.score]);
    });
    expect(row).toEqual([["\"3\"", "{\"a\":0.25,\"b\":0.75}"], ["true", null]]);
  });

  it("joins a repeated prediction_id to its first prediction, indexed or waiting", async () => {
    const result = await withSql((sql) => {
      const join = new LabelJoinStore(sql, 4);
      join.append(batch(["a", "b", "a"]), minutes(3, 60_000));
      const sameBatch = join.find(["a"]).get("a")!.seq;
      join.indexPending();
      join.append(batch(["b", "c"]), minutes(2, 120_000)); // b again, now waiting
      const b = join.find(["b"]).get("b")!;
      return { sameBatch, b: [b.seq, b.minute] };
    });
    expect(result.sameBatch).toBe(1);
    expect(result.b).toEqual([2, 60_000]);
  });

  it("checks each index hit against the stored id, so a hash collision never joins the wrong prediction", async () => {
    const found = await withSql((sql) => {
      const join = new LabelJoinStore(sql);
      // A row whose stored hash is that of "a" but whose id is "impostor".
      sql.exec(`INSERT INTO join_rows (h, prediction_id, minute, prediction) VALUES (?, 'impostor', 0, '1')`, joinHash("a"));
      const waiting = join.find(["a"]).size;
      join.indexPending();
      return { waiting, indexed: join.find(["a"]).size };
    });
    expect(found).toEqual({ waiting: 0, indexed: 0 });
  });

  it("probes every generation, and pruning drops whole generations of the index", async () => {
    const result = await withSql((sql) => {
      const join = new LabelJoinStore(sql, 10);
      for (let b = 0; b < 4; b++) {
        join.append(batch(Array.from({ length: 10 }, (_, i) => `b${b}-${i}`)), minutes(10, (b + 1) * 60_000));
        join.indexPending();
      }
      const all = join.find(["b0-0", "b1-5", "b2-9", "b3-3"]).size;
      const generations = () => sql.exec<{ g: number }>(`SELECT DISTINCT gen AS g FROM join_index ORDER BY g`).toArray().map((r) => r.g);
      const before = generations();
      const pruned = join.prune(3 * 60_000); // rows of minutes 1 and 2 go: seq 1..20
      const after = generations();
      const left = [...join.find(["b0-0", "b1-9", "b2-0", "b3-9"]).keys()].sort();
      return { all, before, pruned, after, left, count: join.count() };
    });
    expect(result.all).toBe(4);
    expect(result.before).toEqual([0, 1, 2, 3, 4]);
    expect(result.pruned).toBe(20);
    // seq 21 (the first kept) is in generation 2; generations 0 and 1 are gone.
    expect(result.after).toEqual([2, 3, 4]);
    expect(result.left).toEqual(["b2-0", "b3-9"]);
    expect(result.count).toBe(20);
  });

  it("caps the store at the newest rows, and counts what is left", async () => {
    const result = await withSql((sql) => {
      const join = new LabelJoinStore(sql, 10);
      join.append(batch(Array.from({ length: 25 }, (_, i) => `p${i}`)), minutes(25));
      join.indexPending();
      const dropped = join.cap(7);
      return { dropped, count: join.count(), found: [...join.find(["p17", "p18", "p24"]).keys()].sort(), again: join.cap(7) };
    });
    expect(result).toEqual({ dropped: 18, count: 7, found: ["p18", "p24"], again: 0 });
  });

  it("marks a prediction labeled by its seq", async () => {
    const labeled = await withSql((sql) => {
      const join = new LabelJoinStore(sql);
      join.append(batch(["a", "b"]), minutes(2));
      join.markLabeled(join.find(["b"]).get("b")!.seq);
      join.indexPending();
      return [...join.find(["a", "b"]).values()].map((r) => [r.prediction_id, r.labeled]).sort();
    });
    expect(labeled).toEqual([["a", 0], ["b", 1]]);
  });

  it("moves an older object's predictions table (unique ids) into the log, labels included, and drops it", async () => {
    const result = await withSql((sql) => {
      sql.exec(`DROP TABLE IF EXISTS join_rows`);
      sql.exec(`CREATE TABLE predictions (seq INTEGER PRIMARY KEY, prediction_id TEXT NOT NULL UNIQUE, minute INTEGER NOT NULL, prediction TEXT NOT NULL, score TEXT, labeled INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(`INSERT INTO predictions (prediction_id, minute, prediction, score, labeled) VALUES ('old-1', 60000, '"yes"', NULL, 1), ('old-2', 120000, '0', '0.5', 0)`);
      const join = new LabelJoinStore(sql);
      const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE name = 'predictions'`).toArray().length;
      return { tables, rows: [...join.find(["old-1", "old-2"]).values()].sort((a, b) => a.seq - b.seq), unindexed: join.unindexed() };
    });
    expect(result.tables).toBe(0);
    expect(result.unindexed).toBe(0);
    expect(result.rows).toEqual([
      { seq: 1, prediction_id: "old-1", minute: 60000, prediction: "\"yes\"", score: null, labeled: 1 },
      { seq: 2, prediction_id: "old-2", minute: 120000, prediction: "0", score: "0.5", labeled: 0 },
    ]);
  });
});
