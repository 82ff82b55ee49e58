// Pairs the two halves of an inference that payload loggers send apart: KServe's and
// Seldon's loggers post the request (features) and the response (predictions) as two
// CloudEvents sharing an id (`ce-id`, or Seldon's `ce-requestid`), in either order and
// possibly from different isolates. This model version's object is where both halves
// meet: its input gate serialises the two offers, so exactly one of them sees the pair.
//   cloudevent_halves  a half waiting for its partner (its payload as JSON text), at
//                      most HALF_TTL_MS; older ones are pruned and counted as expired
//   cloudevent_done    pair ids already ingested, for DONE_TTL_MS: a half re-sent after
//                      its pair was counted is answered "duplicate", never stored again
// Ingest itself stays idempotent on its own (batch id `ce:<pair id>`): a pair offered
// twice before complete() (a retry racing the first delivery) is ingested once.

/** A waiting half older than this is dropped: its partner is not coming. */
export const HALF_TTL_MS = 60 * 60_000;
/** As long as ingest remembers a batch id. */
export const DONE_TTL_MS = 24 * 60 * 60_000;
/** Waiting halves kept per model version at most (oldest go first). */
export const MAX_WAITING_HALVES = 50_000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS cloudevent_halves (pair_id TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL, received_at INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (pair_id, kind))`,
  `CREATE INDEX IF NOT EXISTS cloudevent_halves_received ON cloudevent_halves (received_at)`,
  `CREATE TABLE IF NOT EXISTS cloudevent_done (pair_id TEXT PRIMARY KEY, done_at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS cloudevent_done_at ON cloudevent_done (done_at)`,
];

export type HalfKind = "request" | "response";

export interface CloudEventHalf {
  pairId: string;
  kind: HalfKind;
  /** The event's own time (`ce-time`, Unix ms), or its receipt when it has none. */
  at: number;
  /** The event's data as JSON text. */
  payload: string;
}

export interface StoredHalf {
  at: number;
  payload: string;
}

export type PairOffer =
  | { state: "waiting"; waitingFor: HalfKind }
  | { state: "paired"; request: StoredHalf; response: StoredHalf }
  | { state: "done" };

export class CloudEventPairs {
  readonly #sql: SqlStorage;
  /** Halves dropped unpaired since this object started (expired or over the cap). */
  expired = 0;
  #prunedAt = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const statement of SCHEMA) this.#sql.exec(statement);
  }

  /** Stores a half (a re-sent half replaces itself) and returns the pair once both are here. */
  offer(half: CloudEventHalf, now: number): PairOffer {
    this.#prune(now);
    if (this.#sql.exec(`SELECT 1 FROM cloudevent_done WHERE pair_id = ?`, half.pairId).toArray().length > 0) return { state: "done" };
    this.#sql.exec(
      `INSERT INTO cloudevent_halves (pair_id, kind, at, received_at, payload) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (pair_id, kind) DO UPDATE SET at = excluded.at, received_at = excluded.received_at, payload = excluded.payload`,
      half.pairId, half.kind, half.at, now, half.payload,
    );
    const rows = this.#sql.exec<{ kind: string; at: number; payload: string }>(`SELECT kind, at, payload FROM cloudevent_halves WHERE pair_id = ?`, half.pairId).toArray();
    const request = rows.find((r) => r.kind === "request");
    const response = rows.find((r) => r.kind === "response");
    if (!request || !response) return { state: "waiting", waitingFor: half.kind === "request" ? "response" : "request" };
    return { state: "paired", request: { at: request.at, payload: request.payload }, response: { at: response.at, payload: response.payload } };
  }

  /** The pair was ingested (or refused for good): its halves go, its id is remembered. */
  complete(pairId: string, now: number): void {
    this.#sql.exec(`DELETE FROM cloudevent_halves WHERE pair_id = ?`, pairId);
    this.#sql.exec(`INSERT INTO cloudevent_done (pair_id, done_at) VALUES (?, ?) ON CONFLICT (pair_id) DO NOTHING`, pairId, now);
  }

  waiting(): number {
    return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM cloudevent_halves`).one().n;
  }

  /** At most once a minute: a waiting half lives an hour, so a minute's slack is nothing. */
  #prune(now: number) {
    if (now - this.#prunedAt < 60_000) return;
    this.#prunedAt = now;
    this.expired += this.#sql.exec(`DELETE FROM cloudevent_halves WHERE received_at < ?`, now - HALF_TTL_MS).rowsWritten;
    this.#sql.exec(`DELETE FROM cloudevent_done WHERE done_at < ?`, now - DONE_TTL_MS);
    const over = this.waiting() - MAX_WAITING_HALVES;
    if (over > 0) {
      this.expired += this.#sql.exec(
        `DELETE FROM cloudevent_halves WHERE rowid IN (SELECT rowid FROM cloudevent_halves ORDER BY received_at LIMIT ?)`, over,
      ).rowsWritten;
    }
  }
}
