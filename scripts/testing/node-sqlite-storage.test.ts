import { describe, expect, it } from "vitest";
import { nodeDurableStorage } from "./node-sqlite-storage.ts";

// The stand-in must answer as workerd's SqlStorage does for what the label join uses,
// or mutation scores measured on it would mean nothing.
describe("nodeDurableStorage", () => {
  it("runs statements with bindings and reports rows written as workerd's cursor does", () => {
    const { sql, close } = nodeDurableStorage();
    sql.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, b BLOB)`);
    const insert = sql.exec(`INSERT INTO t (k, v, b) VALUES (?, ?, ?), (?, ?, ?)`, 1, "a", new Uint8Array([1, 2]).buffer, 2, "b", null);
    expect(insert.rowsWritten).toBe(2);
    expect(sql.exec(`SELECT typeof(?) AS t`, 3).one()).toEqual({ t: "real" }); // workerd binds numbers as REAL too
    const rows = sql.exec<{ k: number; v: string; b: ArrayBuffer | null }>(`SELECT k, v, b FROM t ORDER BY k`).toArray();
    expect(rows.map((r) => r.k)).toEqual([1, 2]);
    expect(rows[0]!.b).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(rows[0]!.b!)]).toEqual([1, 2]);
    expect([...sql.exec<{ v: string }>(`SELECT v FROM t ORDER BY k`)].map((r) => r.v)).toEqual(["a", "b"]);
    expect(sql.exec(`DELETE FROM t WHERE k > ?`, 0).rowsWritten).toBe(2);
    expect(() => sql.exec(`SELECT 1 AS x UNION ALL SELECT 2`).one()).toThrow(/more than one/);
    expect(() => sql.exec(`SELECT 1 AS x WHERE 0`).one()).toThrow(/no results/);
    close();
  });

  it("rolls a transaction back when its callback throws, and keeps it when it returns", () => {
    const { sql, transactionSync, close } = nodeDurableStorage();
    sql.exec(`CREATE TABLE t (k INTEGER)`);
    expect(transactionSync(() => sql.exec(`INSERT INTO t VALUES (1)`).rowsWritten)).toBe(1);
    expect(() => transactionSync(() => {
      sql.exec(`INSERT INTO t VALUES (2)`);
      throw new Error("abort");
    })).toThrow("abort");
    expect(sql.exec<{ k: number }>(`SELECT k FROM t`).toArray()).toEqual([{ k: 1 }]);
    close();
  });
});
