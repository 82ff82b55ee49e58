// The ModelMonitor's SQLite schema and every statement it runs. Placeholders only,
// never interpolated values. Tables:
//   meta            identity, feature schema, baseline profile, totals (JSON values)
//   batches         one row per accepted batch id for 24 h (dedupe: batch-dedupe.ts); `payload` holds the
//                   events until an alarm tick has folded them into the minute buckets; `counts_batch`
//                   0 marks a shard's part of a batch another shard counts (shard-route.ts)
//   minutes, hours  bucket aggregates (window bytes, latency sketch, performance JSON);
//                   minutes for 2 h, hours for 7 days (memory holds the last 25 h)
//   reference_rows  events held while the first-events baseline is still collecting
//   join_*          prediction_id → prediction, score, minute, for the label join
//                   (label-join.ts)
//   erasure_log     erasure requests applied here (erasure-store.ts)
//   segment_*       per-segment buckets, counts and baselines (segment-store.ts)
//   outbox          per-tick aggregate rows waiting for the sinks; sinks holds each
//                   sink's cursor into it and its retry state
import { type JointColumns, jointRowCount } from "./joint-rows.ts";
import { BatchDedupe } from "./batch-dedupe.ts";
import { ErasureStore } from "./erasure-store.ts";
import { LabelJoinStore } from "./label-join.ts";
import { SegmentStore } from "./segment-store.ts";
import { readStoredBucket, type StoredBucket } from "./stored-bucket.ts";

export type { StoredBucket };

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS batches (batch_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL, accepted INTEGER NOT NULL, payload TEXT)`,
  `CREATE INDEX IF NOT EXISTS batches_received ON batches (received_at)`,
  // Batches still waiting to be counted: a handful, among a day of folded batch ids kept
  // for dedupe. Without this partial index every tick scanned the whole day.
  `CREATE INDEX IF NOT EXISTS batches_pending ON batches (received_at) WHERE payload IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS minutes (t INTEGER PRIMARY KEY, events INTEGER NOT NULL, window BLOB, latency BLOB, perf TEXT, estimate TEXT)`,
  `CREATE TABLE IF NOT EXISTS hours (t INTEGER PRIMARY KEY, events INTEGER NOT NULL, window BLOB, latency BLOB, perf TEXT, estimate TEXT)`,
  `CREATE TABLE IF NOT EXISTS reference_rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, minute INTEGER NOT NULL, count INTEGER NOT NULL, payload BLOB NOT NULL, received_at INTEGER)`,
  // The multivariate reference sample (joint-rows.ts), in chunks of rows as JSON columns.
  `CREATE TABLE IF NOT EXISTS joint_reference (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)`,
  // The embedding drift reference samples (embedding-rows.ts): per feature, its projected vectors as f32.
  `CREATE TABLE IF NOT EXISTS embedding_reference (feature TEXT PRIMARY KEY, dimension INTEGER NOT NULL, k INTEGER NOT NULL, rows INTEGER NOT NULL, source TEXT NOT NULL, vectors BLOB NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, payload TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS sinks (name TEXT PRIMARY KEY, cursor INTEGER NOT NULL, failures INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT)`,
];

export type BucketTable = "minutes" | "hours";

/** An embedding feature's reference vectors, `rows` × `k` f32 (embedding-rows.ts). */
export interface StoredEmbeddingReference {
  feature: string;
  dimension: number;
  k: number;
  rows: number;
  source: "first_events" | "after_baseline";
  vectors: Float32Array;
}

const JOINT_CHUNK_ROWS = 500;
/** Past this many bytes of held payloads (ticks failing, or far behind), the rest are read back from their rows. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

export interface PendingBatch {
  batch_id: string;
  received_at: number;
  /** A batch-codec.ts blob (a Uint8Array when held in memory since its ingest); JSON text for batches stored before it. */
  payload: ArrayBuffer | Uint8Array | string;
  /** False for a shard's part of a batch that another shard counts in `totals.batches`. */
  countsBatch: boolean;
}

export interface SinkState {
  name: string;
  cursor: number;
  failures: number;
  next_attempt_at: number;
  last_error: string | null;
}

export interface OutboxRow {
  seq: number;
  created_at: number;
  payload: string;
}

export class MonitorStore {
  readonly #sql: SqlStorage;
  readonly #storage: DurableObjectStorage;
  /** The label join's predictions. */
  readonly join: LabelJoinStore;
  /** Erasure's log and its access to held rows. */
  readonly erasures: ErasureStore;
  /** Per-segment buckets, counts and baselines (segment-store.ts). */
  readonly segments: SegmentStore;
  /** Batch ids remembered for 24 h (batch-dedupe.ts). */
  readonly dedupe: BatchDedupe;
  /** Payloads of stored batches not yet folded (holdPayload). */
  readonly #held = new Map<string, Uint8Array>();
  #heldBytes = 0;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    [this.join, this.erasures, this.segments] = storage.transactionSync(() => {
      for (const statement of SCHEMA) this.#sql.exec(statement);
      // Objects created before reference rows recorded their arrival time.
      const columns = this.#sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('reference_rows')`).toArray();
      if (!columns.some((c) => c.name === "received_at")) this.#sql.exec(`ALTER TABLE reference_rows ADD COLUMN received_at INTEGER`);
      // Buckets stored before the label-free estimate existed.
      for (const table of ["minutes", "hours"] as const) {
        const bucketColumns = this.#sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).toArray();
        if (!bucketColumns.some((c) => c.name === "estimate")) this.#sql.exec(`ALTER TABLE ${table} ADD COLUMN estimate TEXT`);
      }
      // Batches stored before a sharded batch's parts were told apart count as whole batches (NULL).
      const batchColumns = this.#sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('batches')`).toArray();
      if (!batchColumns.some((c) => c.name === "counts_batch")) this.#sql.exec(`ALTER TABLE batches ADD COLUMN counts_batch INTEGER`);
      return [new LabelJoinStore(this.#sql), new ErasureStore(this.#sql), new SegmentStore(this.#sql)] as const;
    });
    this.dedupe = new BatchDedupe(this.#sql);
  }

  /** Runs `fn` as one SQLite transaction: all of it is stored, or none. */
  transaction<T>(fn: () => T): T {
    return this.#storage.transactionSync(fn);
  }

  getMeta(key: string): string | null {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0];
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.#sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value);
  }

  deleteMeta(key: string): void {
    this.#sql.exec(`DELETE FROM meta WHERE key = ?`, key);
  }

  /**
   * Stores a batch unless `batchId` is remembered already (batch-dedupe.ts): false for a
   * retry, which stores nothing, so the insert is the dedupe check (one statement, not a
   * lookup and then the insert).
   * `payload` null: the batch was counted as it arrived and only its id is kept (pii.ts).
   * `countsBatch` false: a shard's part of a batch another shard counts (IngestCall.countsBatch).
   */
  insertBatch(batchId: string, receivedAt: number, accepted: number, payload: Uint8Array | ArrayBuffer | null, countsBatch = true): boolean {
    return this.#sql.exec(
      `INSERT INTO batches (batch_id, received_at, accepted, payload, counts_batch) VALUES (?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING`,
      batchId, receivedAt, accepted, payload, countsBatch ? null : 0,
    ).rowsWritten > 0;
  }

  /**
   * Keeps a stored batch's payload in memory until it is folded, so the tick does not read
   * it back: a 1,000-event blob is ~200 KB of overflow pages, and reading them was ~10 % of
   * the object's CPU at 100k events/s (docs/benchmarks.md, issue 23 session 12). Call only
   * once the transaction that stored the batch has committed; the row stays the truth (a
   * restarted object reads payloads from it).
   */
  holdPayload(batchId: string, payload: Uint8Array): void {
    if (this.#heldBytes + payload.byteLength > MAX_HELD_BYTES) return;
    this.#held.set(batchId, payload);
    this.#heldBytes += payload.byteLength;
  }

  /** Payloads held in memory (tests). */
  get heldPayloads(): number {
    return this.#held.size;
  }

  pendingBatches(): PendingBatch[] {
    const rows = this.#sql.exec<{ batch_id: string; received_at: number; counts_batch: number | null }>(
      // Arrival order, through the partial index (ORDER BY rowid alone scans the table).
      `SELECT batch_id, received_at, counts_batch FROM batches WHERE payload IS NOT NULL ORDER BY received_at, rowid`,
    ).toArray();
    return rows.map(({ batch_id, received_at, counts_batch }) => ({
      batch_id,
      received_at,
      payload: this.#held.get(batch_id) ?? this.#sql.exec<{ payload: ArrayBuffer | string }>(`SELECT payload FROM batches WHERE batch_id = ?`, batch_id).one().payload,
      countsBatch: counts_batch !== 0,
    }));
  }

  hasPendingBatches(): boolean {
    return this.#sql.exec(`SELECT 1 FROM batches WHERE payload IS NOT NULL LIMIT 1`).toArray().length > 0;
  }

  /**
   * Every stored batch is counted: their payloads go (their ids stay for dedupe), and so do
   * the held copies, every one of them a pending batch's. One statement for a tick's batches
   * instead of one each; the caller folds, in the same synchronous transaction, exactly the
   * batches pendingBatches() returned.
   */
  markAllFolded(): void {
    this.#sql.exec(`UPDATE batches SET payload = NULL WHERE payload IS NOT NULL`);
    this.#held.clear();
    this.#heldBytes = 0;
  }

  loadBuckets(table: BucketTable, since: number): StoredBucket[] {
    return this.loadBucketsBetween(table, since, Number.MAX_SAFE_INTEGER);
  }

  /** Buckets starting in [from, to), oldest first (past what memory holds: range.ts). */
  loadBucketsBetween(table: BucketTable, from: number, to: number): StoredBucket[] {
    return this.#sql
      .exec(`SELECT t, events, window, latency, perf, estimate FROM ${table} WHERE t >= ? AND t < ? ORDER BY t`, from, to)
      .toArray()
      .map(readStoredBucket);
  }

  saveBucket(table: BucketTable, bucket: StoredBucket): void {
    this.#sql.exec(
      `INSERT INTO ${table} (t, events, window, latency, perf, estimate) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (t) DO UPDATE SET events = excluded.events, window = excluded.window, latency = excluded.latency, perf = excluded.perf, estimate = excluded.estimate`,
      bucket.t, bucket.events, bucket.window, bucket.latency, bucket.perf, bucket.estimate,
    );
  }

  /** Replaces the multivariate reference sample (null: none). */
  saveJointReference(columns: JointColumns | null): void {
    this.#sql.exec(`DELETE FROM joint_reference`);
    if (columns === null) return;
    const names = Object.keys(columns);
    const rows = jointRowCount(columns);
    // Chunks keep each stored value well under SQLite's row size limit at many features.
    for (let start = 0, seq = 0; start < rows; start += JOINT_CHUNK_ROWS, seq++) {
      const chunk: JointColumns = {};
      for (const name of names) chunk[name] = columns[name]!.slice(start, start + JOINT_CHUNK_ROWS);
      this.#sql.exec(`INSERT INTO joint_reference (seq, payload) VALUES (?, ?)`, seq, JSON.stringify(chunk));
    }
  }

  loadJointReference(): JointColumns | null {
    const chunks = this.#sql.exec<{ payload: string }>(`SELECT payload FROM joint_reference ORDER BY seq`).toArray();
    if (chunks.length === 0) return null;
    const out: JointColumns = Object.create(null) as JointColumns;
    for (const { payload } of chunks) {
      for (const [name, values] of Object.entries(JSON.parse(payload) as JointColumns)) (out[name] ??= []).push(...values);
    }
    return out;
  }

  /** Stores one embedding feature's reference sample, replacing any before it. */
  saveEmbeddingReference(r: StoredEmbeddingReference): void {
    this.#sql.exec(
      `INSERT INTO embedding_reference (feature, dimension, k, rows, source, vectors) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (feature) DO UPDATE SET dimension = excluded.dimension, k = excluded.k, rows = excluded.rows, source = excluded.source, vectors = excluded.vectors`,
      r.feature, r.dimension, r.k, r.rows, r.source, new Uint8Array(r.vectors.buffer, r.vectors.byteOffset, r.rows * r.k * 4),
    );
  }

  loadEmbeddingReferences(): StoredEmbeddingReference[] {
    return this.#sql
      .exec<{ feature: string; dimension: number; k: number; rows: number; source: string; vectors: ArrayBuffer }>(`SELECT feature, dimension, k, rows, source, vectors FROM embedding_reference`)
      .toArray()
      .map((r) => ({ feature: r.feature, dimension: r.dimension, k: r.k, rows: r.rows, source: r.source as StoredEmbeddingReference["source"], vectors: new Float32Array(r.vectors.slice(0)) }));
  }

  clearEmbeddingReferences(): void {
    this.#sql.exec(`DELETE FROM embedding_reference`);
  }

  /** Drops buckets starting before `before`; returns how many went. */
  pruneBuckets(table: BucketTable, before: number): number {
    const n = this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE t < ?`, before).toArray()[0]?.n ?? 0;
    if (n > 0) this.#sql.exec(`DELETE FROM ${table} WHERE t < ?`, before);
    return n;
  }

  /** Drops events held for the first-events baseline that arrived before `before`; returns how many events went. */
  pruneReferenceRows(before: number): number {
    const n = this.#sql.exec<{ n: number | null }>(`SELECT SUM(count) AS n FROM reference_rows WHERE COALESCE(received_at, minute) < ?`, before).toArray()[0]?.n ?? 0;
    if (n > 0) this.#sql.exec(`DELETE FROM reference_rows WHERE COALESCE(received_at, minute) < ?`, before);
    return n;
  }

  /** Holds a batch (a batch-codec.ts blob) for the first-events baseline. */
  addReferenceRows(minute: number, count: number, payload: Uint8Array, receivedAt: number): void {
    this.#sql.exec(`INSERT INTO reference_rows (minute, count, payload, received_at) VALUES (?, ?, ?, ?)`, minute, count, payload, receivedAt);
  }

  referenceRowCount(): number {
    const row = this.#sql.exec<{ n: number | null }>(`SELECT SUM(count) AS n FROM reference_rows`).toArray()[0];
    return row?.n ?? 0;
  }

  /** Held batches; rows held before `received_at` existed report their minute instead. */
  referencePayloads(): { received_at: number; payload: ArrayBuffer | string }[] {
    return this.#sql.exec<{ received_at: number; payload: ArrayBuffer | string }>(
      `SELECT COALESCE(received_at, minute) AS received_at, payload FROM reference_rows ORDER BY seq`,
    ).toArray();
  }

  clearReferenceRows(): void {
    this.#sql.exec(`DELETE FROM reference_rows`);
  }

  appendOutbox(createdAt: number, payload: string): void {
    this.#sql.exec(`INSERT INTO outbox (created_at, payload) VALUES (?, ?)`, createdAt, payload);
  }

  outboxAfter(cursor: number, limit: number): OutboxRow[] {
    return this.#sql.exec<{ seq: number; created_at: number; payload: string }>(
      `SELECT seq, created_at, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`, cursor, limit,
    ).toArray();
  }

  lastOutboxSeq(): number {
    return this.#sql.exec<{ s: number | null }>(`SELECT MAX(seq) AS s FROM outbox`).toArray()[0]?.s ?? 0;
  }

  /** Drops rows every sink has taken. */
  pruneOutbox(upTo: number): void {
    this.#sql.exec(`DELETE FROM outbox WHERE seq <= ?`, upTo);
  }

  outboxSize(): number {
    return this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox`).toArray()[0]?.n ?? 0;
  }

  sinkState(name: string): SinkState {
    const row = this.#sql.exec<{ name: string; cursor: number; failures: number; next_attempt_at: number; last_error: string | null }>(
      `SELECT name, cursor, failures, next_attempt_at, last_error FROM sinks WHERE name = ?`, name,
    ).toArray()[0];
    return row ?? { name, cursor: 0, failures: 0, next_attempt_at: 0, last_error: null };
  }

  saveSinkState(state: SinkState): void {
    this.#sql.exec(
      `INSERT INTO sinks (name, cursor, failures, next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, failures = excluded.failures,
         next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error`,
      state.name, state.cursor, state.failures, state.next_attempt_at, state.last_error,
    );
  }

  /** Bytes of SQLite storage in use (pages × page size). */
  databaseSize(): number {
    return this.#sql.databaseSize;
  }
}
