// A Durable Object's SQLite storage (`ctx.storage.sql`, `transactionSync`) over Node's own
// SQLite (node:sqlite), for mutation testing only (vitest.mutation-node.config.ts): the
// label join and its index are plain SQL on SqlStorage, and running their tests in workerd
// costs 10–30 s of start-up per mutant. Both are real SQLite (3.51 here and in workerd);
// like workerd, node:sqlite binds every JS number as REAL. What is covered is what those
// stores use: `exec` with bindings, its cursor (`toArray`, `one`, iteration, `rowsWritten`),
// BLOBs as ArrayBuffer both ways, and `transactionSync` rolling back on a throw.
// Not covered: several statements in one `exec`, `raw()`, `databaseSize`.
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

type Row = Record<string, unknown>;

export interface NodeSqlCursor<T extends Row> extends Iterable<T> {
  toArray(): T[];
  one(): T;
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

export interface NodeSqlStorage {
  exec<T extends Row = Row>(query: string, ...bindings: unknown[]): NodeSqlCursor<T>;
}

export interface NodeDurableStorage {
  readonly sql: NodeSqlStorage;
  transactionSync<T>(fn: () => T): T;
  /** Closes the database (a worker thread ending with one open can crash Node). */
  close(): void;
}

const bind = (value: unknown): SQLInputValue => {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value === undefined) throw new TypeError("undefined is not a SQL value");
  return value as SQLInputValue;
};

/** workerd hands BLOBs back as ArrayBuffer. */
const unbind = (row: Row): Row => {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array) row[key] = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  return row;
};

/** A fresh in-memory database, as a new Durable Object starts with. */
export function nodeDurableStorage(): NodeDurableStorage {
  const db = new DatabaseSync(":memory:");
  const totalChanges = db.prepare(`SELECT total_changes() AS n`);
  const changed = () => Number((totalChanges.get() as { n: number }).n);
  let depth = 0;
  const sql: NodeSqlStorage = {
    exec<T extends Row>(query: string, ...bindings: unknown[]): NodeSqlCursor<T> {
      const before = changed();
      const rows = db.prepare(query).all(...bindings.map(bind)).map((r) => unbind(r as Row)) as T[];
      const rowsWritten = changed() - before;
      return {
        toArray: () => rows,
        one: () => {
          if (rows.length !== 1) throw new Error(`Expected exactly one result from SQL query, but got ${rows.length === 0 ? "no" : "more than one"} results.`);
          return rows[0]!;
        },
        [Symbol.iterator]: () => rows[Symbol.iterator](),
        rowsRead: rows.length,
        rowsWritten,
      };
    },
  };
  return {
    sql,
    close: () => db.close(),
    transactionSync<T>(fn: () => T): T {
      const name = `tx${depth++}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const out = fn();
        db.exec(`RELEASE ${name}`);
        return out;
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        throw err;
      } finally {
        depth--;
      }
    },
  };
}
