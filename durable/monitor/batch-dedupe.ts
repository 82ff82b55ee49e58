// Batch dedupe: a batch id is remembered for DEDUPE_MS (24 h) from its arrival, so a retry
// (a client resending after a timeout) is answered with the first arrival's count instead
// of counting its events twice. The id lives in the `batches` row that also holds the
// payload until an alarm tick counts it (storage.ts); a batch not yet counted keeps its id
// however old, so its retry can never be counted beside it.

export const DEDUPE_MS = 24 * 3_600_000;

/** The first arrival of a batch id. */
export interface SeenBatch {
  received_at: number;
  accepted: number;
}

export class BatchDedupe {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The first arrival of `batchId`, while it is remembered. */
  find(batchId: string): SeenBatch | undefined {
    return this.#sql.exec<{ received_at: number; accepted: number }>(
      `SELECT received_at, accepted FROM batches WHERE batch_id = ?`, batchId,
    ).toArray()[0];
  }

  /**
   * Forgets counted batch ids received more than DEDUPE_MS before `now`: one received
   * exactly DEDUPE_MS ago is still a duplicate.
   */
  prune(now: number): void {
    this.#sql.exec(`DELETE FROM batches WHERE received_at < ? AND payload IS NULL`, now - DEDUPE_MS);
  }
}
