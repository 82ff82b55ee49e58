// The SQL of erasure in a ModelMonitor (erasure.ts holds the logic):
//   erasure_log     per erasure request: the cumulative rows removed here, and until the
//                   Worker closes the request, the prediction ids erased by subject (the
//                   Worker deletes outcomes linked to them; a retried call must still
//                   return them). Only counts stay after closing; rows go after 90 days.
//   reference_rows  (storage.ts) events held for the first-events baseline, read and
//                   rewritten without erased rows.

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS erasure_log (request_id TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, removed TEXT NOT NULL, ids TEXT)`,
];

/** How long a request's counts are kept here (the certificate in Postgres is the record). */
export const ERASURE_LOG_MS = 90 * 24 * 3_600_000;

export interface ErasureLogEntry {
  removed: Record<string, number>;
  ids: string[];
}

export interface HeldReferenceRows {
  seq: number;
  payload: ArrayBuffer | string;
}

export class ErasureStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  entry(requestId: string): ErasureLogEntry {
    const row = this.#sql.exec<{ removed: string; ids: string | null }>(`SELECT removed, ids FROM erasure_log WHERE request_id = ?`, requestId).toArray()[0];
    return row ? { removed: JSON.parse(row.removed) as Record<string, number>, ids: row.ids === null ? [] : (JSON.parse(row.ids) as string[]) } : { removed: {}, ids: [] };
  }

  save(requestId: string, entry: ErasureLogEntry, now: number): void {
    this.#sql.exec(
      `INSERT INTO erasure_log (request_id, updated_at, removed, ids) VALUES (?, ?, ?, ?)
       ON CONFLICT (request_id) DO UPDATE SET updated_at = excluded.updated_at, removed = excluded.removed, ids = excluded.ids`,
      requestId, now, JSON.stringify(entry.removed), JSON.stringify(entry.ids),
    );
    this.#sql.exec(`DELETE FROM erasure_log WHERE updated_at < ?`, now - ERASURE_LOG_MS);
  }

  /** Forgets the prediction ids a request erased (its counts stay). */
  close(requestId: string): void {
    this.#sql.exec(`UPDATE erasure_log SET ids = NULL WHERE request_id = ?`, requestId);
  }

  referenceRows(): HeldReferenceRows[] {
    return this.#sql.exec<{ seq: number; payload: ArrayBuffer | string }>(`SELECT seq, payload FROM reference_rows ORDER BY seq`).toArray();
  }

  replaceReferenceRows(seq: number, count: number, payload: Uint8Array): void {
    this.#sql.exec(`UPDATE reference_rows SET count = ?, payload = ? WHERE seq = ?`, count, payload, seq);
  }

  deleteReferenceRows(seq: number): void {
    this.#sql.exec(`DELETE FROM reference_rows WHERE seq = ?`, seq);
  }
}
