// The one path from raw events to a stored batch, shared by POST /v1/ingest and the
// payload-logger integrations (routes/integrations.ts), so both keep the same rules:
// the version resolved (registered on first ingest when the caller may write), each
// event validated against its schema with bad ones rejected on their own, the batch
// stored by its batch id (a batch id seen in the last 24 h is a duplicate and counts
// nothing again), rejections counted once, PII categoricals hashed before the batch
// leaves the Worker.
import { scalarFeatures } from "../registry/feature-schema.ts";
import type { Context } from "hono";
import { encodeBatch } from "../../durable/monitor/batch-codec.ts";
import type { AppEnv } from "../env.ts";
import { ApiError, type FieldIssue } from "../errors.ts";
import { pseudonymizeEvents } from "../pii/apply.ts";
import { MAX_REJECTIONS_LISTED } from "./limits.ts";
import { onIngestLoad } from "./auto-shard.ts";
import { identityOf, monitorStub } from "./monitor-stub.ts";
import { resolveVersion } from "./resolve-version.ts";
import { ingestToShards } from "./shard-route.ts";
import { validateEvents, type Rejection } from "./validate-events.ts";

export interface EventsToStore {
  model: string;
  version: string;
  /** Null: a fresh id (no retry of this call can be recognised). */
  batchId: string | null;
  items: unknown[];
  /** Events refused before validation (a line that is not JSON, unstorable text), by index. */
  itemErrors: Map<number, FieldIssue>;
}

export interface StoredEvents {
  accepted: number;
  rejected: Rejection[];
  rejected_count: number;
  batch_id: string;
  duplicate: boolean;
  registered?: { model: string; version: string; feature_schema: unknown[] };
}

/** Stores the events; 422 (`schema_mismatch`, rejections in details) when none is valid. */
export async function storeEvents(c: Context<AppEnv>, body: EventsToStore): Promise<StoredEvents> {
  const { record, registered } = await resolveVersion(c, body.model, body.version, body.items, "ingest");
  const now = Date.now();
  const { batch, rejected } = validateEvents(body.items, body.itemErrors, record.featureSchema, now);
  const listed = rejected.slice(0, MAX_REJECTIONS_LISTED);
  const stub = monitorStub(c.env, record.orgId, record.model, record.version);
  if (batch.length === 0) {
    // Counted for GET /metrics (vigil_events_rejected_total) before the 422 goes out.
    await stub.countRejected(identityOf(record), rejected.length);
    const first = rejected[0]!;
    throw new ApiError(422, "schema_mismatch", `no event matches the schema of ${record.model} ${record.version}; first: events[${first.index}].${first.field}: ${first.error}`, listed);
  }
  const batchId = body.batchId ?? crypto.randomUUID();
  // PII categoricals leave the Worker only as keyed hashes (workers/pii/).
  const stored = await pseudonymizeEvents(c.var.db(), record.orgId, record.featureSchema, batch);
  const call = {
    identity: identityOf(record),
    features: scalarFeatures(record.featureSchema).map((f) => ({ name: f.name, kind: f.kind, ...(f.pii !== undefined ? { pii: f.pii } : {}), ...(f.segment === true ? { segment: true } : {}) })),
    batchId,
    receivedAt: now,
    ...(record.segments?.top_k !== undefined ? { segmentTopK: record.segments.top_k } : {}),
  };
  // A sharded version's rows go to their shards (shard-route.ts), also once `shards` is back to 1, so a
  // retry of a batch first split under more shards splits the same way; never sharded is the single call below.
  // An auto version claims its batch ids even at one shard: an isolate still holding N = 1 after the auto
  // mode raised it (its version cache) then splits a retry as the first attempt was split.
  const claimed = record.shardsMax > 1 || record.shardsMode === "auto";
  const result = claimed ? await ingestToShards(c.env, record, call, stored) : await stub.ingest({ ...call, count: batch.length, events: encodeBatch(stored) });
  // A version in the auto shard mode gets more shards when an object says it stays overloaded.
  await onIngestLoad(c, record, result);
  // A retried batch (same batch_id) had its rejections counted the first time.
  if (rejected.length > 0 && !result.duplicate) await stub.countRejected(identityOf(record), rejected.length);
  return {
    accepted: result.accepted,
    rejected: listed,
    rejected_count: rejected.length,
    batch_id: batchId,
    duplicate: result.duplicate,
    ...(registered ? { registered: { model: record.model, version: record.version, feature_schema: record.featureSchema } } : {}),
  };
}
