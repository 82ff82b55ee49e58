// What the edge Worker hands a ModelMonitor over RPC, and what it answers. Events
// arrive already validated against the version's feature schema, in columns encoded as
// one binary blob (batch-codec.ts) that the object stores as received.

export type ColumnKind = "numerical" | "categorical";

export interface FeatureSpec {
  name: string;
  kind: ColumnKind;
  /** The schema's PII tag (e.g. "email"): categoricals arrive as keyed hashes, numerical values are never kept in a stored row (pii.ts). */
  pii?: string;
  /** A categorical the schema marks `"segment": true`: its value is also a segment dimension (segment-buckets.ts). */
  segment?: boolean;
}

export type Label = string | number | boolean;

/** One validated prediction event (an event of the POST /v1/ingest body, README "Sending telemetry"; timestamp as Unix ms). */
export interface MonitorEvent {
  prediction_id: string;
  timestamp: number;
  features: Record<string, unknown>;
  prediction: Label;
  /** Probability of the positive class, or class → probability. */
  score?: number | Record<string, number>;
  latency_ms?: number;
  segment?: Record<string, string>;
  /** The pseudonymous id of the person the prediction is about (erasure finds rows by it). */
  subject_id?: string;
}

/** Who the object monitors; sent with every call so a fresh object learns it at once. */
export interface MonitorIdentity {
  orgId: string;
  model: string;
  version: string;
  /** binary | multiclass | regression, when the registry knows it. */
  predictionKind: string | null;
}

export interface IngestCall {
  identity: MonitorIdentity;
  /** The version's feature schema, used to freeze a baseline from the first events. */
  features: FeatureSpec[];
  batchId: string;
  receivedAt: number;
  count: number;
  /** The accepted events, encoded by batch-codec.ts `encodeBatch`. */
  events: Uint8Array;
  /** The version's `segments.top_k` (segments tracked with full windows); the default when absent. */
  segmentTopK?: number;
  /**
   * False on a shard's part of a batch split over shards when another part carries the
   * batch (workers/ingest/shard-route.ts): `totals.batches` and `duplicateBatches` count
   * the client's batch once, not once per shard. Absent: the call is the whole batch.
   */
  countsBatch?: boolean;
}

export type IngestResult = (
  | { duplicate: false; accepted: number }
  | { duplicate: true; accepted: number; firstSeenAt: number }
) & {
  /**
   * The object has stayed overloaded (load-tracker.ts): its busy share was above the
   * threshold for the sustained span. Said once per cool-down; the Worker adds shards when
   * the version's shards are "auto" (workers/registry/auto-shards.ts) and ignores it otherwise.
   */
  overloaded?: true;
};

export interface ActualEvent {
  prediction_id: string;
  actual: Label;
  timestamp: number;
  /** Kept with the prediction's label mark, so erasure by subject finds a prediction its actual named. */
  subject_id?: string;
}

export interface ActualsCall {
  identity: MonitorIdentity;
  actuals: ActualEvent[];
  /**
   * A sharded version's lookup (workers/ingest/shard-route.ts): actuals with no stored
   * prediction here are not counted as unmatched; their ids come back in `deferred`, so
   * the Worker can look for them on the version's other shards and count each actual
   * unmatched once, on its home shard, only if no shard holds its prediction.
   */
  deferUnmatched?: boolean;
}

export interface ActualsResult {
  /** Joined to a stored prediction and counted in its window's performance. */
  matched: number;
  /** No stored prediction with that id (never sent, or older than the join horizon). */
  unmatched: number;
  /** The prediction already had an actual; the first one counts, later ones are ignored. */
  alreadyLabeled: number;
  unmatchedIds: string[];
  /** With `deferUnmatched`: every actual's prediction id not found here (not counted in `unmatched`). */
  deferred?: string[];
}

export interface OutcomeEvent {
  prediction_id?: string;
  timestamp: number;
  kpi: string;
  value: number;
  subject_id?: string;
  /** The model version the outcome belongs to: given by the sender, or the one holding its prediction_id. */
  version?: string;
  /** The segment it belongs to (e.g. { region: "north" }), so KPIs can be read per segment. */
  segment?: Record<string, string>;
}
