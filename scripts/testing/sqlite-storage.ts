// A stand-in for a Durable Object's synchronous SQLite storage (ctx.storage.sql and
// transactionSync), over Node's built-in node:sqlite, so benchmarks can drive a monitor's
// storage code outside workerd. Only what MonitorStore uses: exec(query, ...bindings) with
// toArray(), one() and rowsWritten, databaseSize, transactionSync. Blobs come back as ArrayBuffer, as
// workerd returns them.
import { DatabaseSync } from "node:sqlite";

type Value = ArrayBuffer | string | number | null;

function fromSqlite(row: Record<string, unknown>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Uint8Array) out[k] = v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
    else if (typeof v === "bigint") out[k] = Number(v);
    else out[k] = v as Value;
  }
  return out;
}

function toSqlite(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

export function sqliteStorage(): { storage: DurableObjectStorage; close(): void } {
  const db = new DatabaseSync(":memory:");
  const sql = {
    exec(query: string, ...bindings: unknown[]) {
      const statement = db.prepare(query);
      const args = bindings.map(toSqlite) as never[];
      let rowsWritten = 0;
      let rows: Record<string, Value>[] = [];
      if (statement.columns().length > 0) rows = (statement.all(...args) as Record<string, unknown>[]).map(fromSqlite);
      else rowsWritten = Number(statement.run(...args).changes);
      return { toArray: () => rows, one: () => rows[0], rowsWritten, [Symbol.iterator]: () => rows[Symbol.iterator]() };
    },
    get databaseSize() {
      const pages = db.prepare("PRAGMA page_count").get() as { page_count: number };
      const size = db.prepare("PRAGMA page_size").get() as { page_size: number };
      return pages.page_count * size.page_size;
    },
  };
  let depth = 0;
  const storage = {
    sql,
    transactionSync<T>(fn: () => T): T {
      if (depth > 0) return fn();
      depth++;
      db.exec("BEGIN");
      try {
        const result = fn();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      } finally {
        depth--;
      }
    },
  };
  return { storage: storage as unknown as DurableObjectStorage, close: () => db.close() };
}
