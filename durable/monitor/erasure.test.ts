import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer } from "../model-monitor.ts";
import { withoutRows } from "./batch-rows.ts";
import type { MonitorEvent } from "./calls.ts";
import { eraseRows } from "./erasure.ts";
import { ErasureStore } from "./erasure-store.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { joinHash, type JoinIndexSizes } from "./join-index.ts";
import { LabelJoinStore, subjectHash } from "./label-join.ts";
import { TEST_FEATURES } from "./testing.ts";

let counter = 0;
const tiny: Partial<JoinIndexSizes> = { mergeRows: 6, generationRows: 10, mergeSlices: 1 };

/** A fresh object's SQLite: a join store with tiny index sizes and the erasure log. */
async function inObject<T>(fn: (join: LabelJoinStore, erasures: ErasureStore, sql: SqlStorage) => T): Promise<T> {
  counter++;
  const stub = testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:erase${counter}-${Date.now()}:v1`);
  return runInDurableObject(stub, (_i: ModelMonitorServer, state) => {
    const sql = state.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS reference_rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, minute INTEGER NOT NULL, count INTEGER NOT NULL, payload BLOB NOT NULL, received_at INTEGER)`);
    return fn(new LabelJoinStore(sql, tiny), new ErasureStore(sql), sql);
  });
}

const ev = (id: string, subject: string | null, region = "north"): MonitorEvent => ({
  prediction_id: id, timestamp: 1_700_000_000_000, features: { age: 30, income: 1, region }, prediction: 1, score: 0.5, ...(subject ? { subject_id: subject } : {}),
});

const countWhere = (sql: SqlStorage, table: string, locs: number[]) =>
  Number(sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE loc IN (SELECT value FROM json_each(?))`, JSON.stringify(locs)).toArray()[0]!.n);

describe("withoutRows", () => {
  it("keeps the other rows whole and drops an erased row's category from the dictionary", () => {
    const events = [ev("a", "s1", "only-a"), { ...ev("b", null, "south"), features: { age: 31, region: "south", extra: 1 } }, ev("c", "s2", "south")];
    const kept = withoutRows(columnsFromEvents(events, TEST_FEATURES), (r) => r === 0);
    expect(kept.ids).toEqual(["b", "c"]);
    expect(kept.subjects).toEqual([null, "s2"]);
    const region = kept.features[2]!;
    expect(region.kind === "categorical" && region.dictionary).toEqual(["south"]);
    expect(region.kind === "categorical" && [...region.codes]).toEqual([0, 0]);
    // b lacked income and carried an unknown key: both marks move with it to row 0.
    expect(kept.absentRows?.[1] && [...kept.absentRows[1]]).toEqual([0]);
    expect(kept.unknownRows && [...kept.unknownRows]).toEqual([0]);
    expect(withoutRows(columnsFromEvents([ev("x", "s")], TEST_FEATURES), () => true).subjects).toBeUndefined();
  });

  it("drops an erased row's embedding vector and keeps the others in order", () => {
    const batch = { ...columnsFromEvents([ev("a", "s1"), ev("b", null), ev("c", "s2")], TEST_FEATURES), embeddings: [{ name: "vec", dimension: 2, k: 2, values: Float32Array.from([1, 2, 3, 4, 5, 6]) }] };
    const kept = withoutRows(batch, (r) => r === 1);
    expect(kept.embeddings).toHaveLength(1);
    expect(Array.from(kept.embeddings![0]!.values)).toEqual([1, 2, 5, 6]);
  });
});

describe("eraseRows", () => {
  it("removes a subject's rows and their entries in both indexes, wherever the entries are (memory, read back, generation), for good", async () => {
    const result = await inObject((join, erasures, sql) => {
      const batch = (events: MonitorEvent[]) => columnsFromEvents(events, TEST_FEATURES);
      // Locations 1-4 merged into a generation; 5-7 read back from their block (as after a restart); 8-9 in memory since staged.
      join.append(batch([ev("p1", "ann"), ev("p2", "ben"), ev("p3", "ann"), ev("p4", null)]), [1, 1, 1, 1]);
      join.index.merge();
      join.subjects.merge();
      join.append(batch([ev("p5", "ann"), ev("p6", "ben"), ev("p7", null)]), [2, 2, 2]);
      join.reload();
      join.append(batch([ev("p8", "ann"), ev("p9", "ben")]), [3, 3]);
      join.markLabeled(4, "ann"); // p4 names no subject, its actual does
      join.markLabeled(2, null);
      const annLocs = [1, 3, 4, 5, 8];
      const first = eraseRows(join, erasures, TEST_FEATURES, { requestId: "r1", subjectId: "ann" }, 1_000);
      // Where the entries of ann's rows could still be: memory (before and after a restart), or the generations once moved.
      const inMemory = () => [join.index.candidates(["p1", "p3", "p4", "p5", "p8"].map(joinHash)).length, join.subjects.candidates([subjectHash("ann")]).length];
      const held = inMemory();
      join.reload();
      const heldAfterReload = inMemory();
      join.index.merge();
      join.subjects.merge();
      const idEntries = countWhere(sql, "join_l1", annLocs);
      const subjectEntries = countWhere(sql, "join_subject_l1", annLocs);
      const pending = [join.index.held, join.subjects.held];
      const found = [...join.find(["p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9"]).keys()];
      const again = eraseRows(join, erasures, TEST_FEATURES, { requestId: "r1", subjectId: "ann" }, 2_000);
      // Later, a new row for ann: a repeat of the same request finds and adds it.
      join.append(batch([ev("p10", "ann")]), [4]);
      const later = eraseRows(join, erasures, TEST_FEATURES, { requestId: "r1", subjectId: "ann" }, 3_000);
      erasures.close("r1");
      return { first, held, heldAfterReload, idEntries, subjectEntries, pending, found, again, later, closed: erasures.entry("r1") };
    });
    expect(result.first.removed).toEqual({ predictions: 5, actuals: 1, baseline_events: 0 });
    expect(result.first.predictionIds.sort()).toEqual(["p1", "p3", "p4", "p5", "p8"]);
    expect(result.idEntries).toBe(0);
    expect(result.subjectEntries).toBe(0);
    expect(result.held).toEqual([0, 0]);
    expect(result.heldAfterReload).toEqual([0, 0]);
    expect(result.pending).toEqual([0, 0]);
    expect(result.found.sort()).toEqual(["p2", "p6", "p9"]);
    expect(result.again.removed).toEqual(result.first.removed);
    expect(result.later.removed).toEqual({ predictions: 6, actuals: 1, baseline_events: 0 });
    expect(result.closed).toEqual({ removed: result.later.removed, ids: [] });
  });

  it("erases by prediction id every copy of the id, in blocks stored before subject ids", async () => {
    const result = await inObject((join, erasures, sql) => {
      // A block as stored before subjects: four elements.
      sql.exec(`INSERT INTO join_blocks (first, n, max_minute, data) VALUES (1, 2, 1, ?)`, JSON.stringify([["old", "keep"], 1, [1, 0], null]));
      join.index.stage(1, [joinHash("old"), joinHash("keep")]);
      join.reload();
      join.append(columnsFromEvents([ev("old", null)], TEST_FEATURES), [2]);
      const out = eraseRows(join, erasures, TEST_FEATURES, { requestId: "r2", predictionIds: ["old"] }, 1);
      return { out, found: [...join.find(["old", "keep"]).keys()], blocks: sql.exec<{ data: string }>(`SELECT data FROM join_blocks ORDER BY first`).toArray().map((r) => r.data) };
    });
    expect(result.out.removed.predictions).toBe(2);
    expect(result.found).toEqual(["keep"]);
    expect(result.blocks.join()).not.toContain('"old"');
  });

  it("rewrites held baseline events without the erased rows, and deletes a held batch left empty", async () => {
    const { encodeBatch, decodeBatch } = await import("./batch-codec.ts");
    const result = await inObject((join, erasures, sql) => {
      const mixed = columnsFromEvents([ev("h1", "zoe", "zoe-town"), ev("h2", null)], TEST_FEATURES);
      const only = columnsFromEvents([ev("h3", "zoe")], TEST_FEATURES);
      sql.exec(`INSERT INTO reference_rows (minute, count, payload, received_at) VALUES (0, 2, ?, 0), (0, 1, ?, 0)`, encodeBatch(mixed), encodeBatch(only));
      const out = eraseRows(join, erasures, TEST_FEATURES, { requestId: "r3", subjectId: "zoe" }, 1);
      const rows = sql.exec<{ count: number; payload: ArrayBuffer }>(`SELECT count, payload FROM reference_rows`).toArray();
      return { out, rows: rows.map((r) => ({ count: r.count, ids: decodeBatch(r.payload, TEST_FEATURES).ids, text: new TextDecoder().decode(r.payload) })) };
    });
    expect(result.out.removed.baseline_events).toBe(2);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ count: 1, ids: ["h2"] });
    expect(result.rows[0]!.text).not.toContain("zoe");
  });

  it("keeps subject hashes apart from prediction-id hashes", () => {
    expect(subjectHash("x")).not.toBe(joinHash("x"));
  });
});
