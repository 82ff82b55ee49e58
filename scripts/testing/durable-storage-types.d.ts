// The few workerd storage types the monitor's storage code names (SqlStorage,
// DurableObjectStorage), declared for the Node tsconfig so benchmarks can drive that code over
// node:sqlite (sqlite-storage.ts). The Worker tsconfig takes the real ones from workerd's types.
declare global {
  type SqlStorageValue = ArrayBuffer | string | number | null;
  interface SqlStorageCursor<T> extends Iterable<T> {
    toArray(): T[];
    one(): T;
    readonly rowsWritten: number;
  }
  interface SqlStorage {
    exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
    readonly databaseSize: number;
  }
  interface DurableObjectStorage {
    readonly sql: SqlStorage;
    transactionSync<T>(fn: () => T): T;
  }
}
export {};
