// Routing a version's ingest and actuals across its monitor shards (issue 23;
// durable/monitor/shards.ts says why by prediction id). One shard is the single-object
// path exactly: the whole batch, one call, to the version's own object.
import type { ActualEvent, ActualsCall, ActualsResult, IngestCall, IngestResult } from "../../durable/monitor/calls.ts";
import { encodeBatch } from "../../durable/monitor/batch-codec.ts";
import type { EventColumns } from "../../durable/monitor/event-columns.ts";
import { monitorName, shardObjectName } from "../../durable/monitor/name.ts";
import { shardOf, splitByShard } from "../../durable/monitor/shards.ts";
import type { Bindings } from "../env.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";

type Call = Omit<IngestCall, "count" | "events">;

function shardStub(env: Bindings, record: ModelVersionRecord, shard: number) {
  return env.ModelMonitor.getByName(shardObjectName(monitorName(record.orgId, record.model, record.version), shard));
}

/**
 * Stores the batch: each shard gets its rows under the same batch id, all in parallel.
 * The batch counts as a duplicate only when every shard had it; a retry of a batch some
 * shards stored before a failure stores the rest and reports them as accepted.
 */
export async function ingestToShards(env: Bindings, record: ModelVersionRecord, call: Call, batch: EventColumns): Promise<IngestResult> {
  const parts = splitByShard(batch, record.shards);
  const results = await Promise.all(parts.map((part, shard) =>
    part === null ? null : shardStub(env, record, shard).ingest({ ...call, count: part.length, events: encodeBatch(part) }),
  ));
  const replied = results.filter((r): r is IngestResult => r !== null);
  const accepted = replied.reduce((n, r) => n + r.accepted, 0);
  const duplicates = replied.filter((r) => r.duplicate);
  if (duplicates.length === replied.length) return { duplicate: true, accepted, firstSeenAt: Math.min(...duplicates.map((r) => r.firstSeenAt)) };
  return { duplicate: false, accepted };
}

/** Joins actuals where their predictions went: each to the shard its prediction id hashes to. */
export async function actualsToShards(env: Bindings, record: ModelVersionRecord, call: ActualsCall): Promise<ActualsResult> {
  const byShard = new Map<number, ActualEvent[]>();
  for (const a of call.actuals) {
    const shard = shardOf(a.prediction_id, record.shards);
    const list = byShard.get(shard) ?? [];
    list.push(a);
    byShard.set(shard, list);
  }
  const results = await Promise.all([...byShard].map(([shard, actuals]) => shardStub(env, record, shard).actuals({ ...call, actuals })));
  const out: ActualsResult = { matched: 0, unmatched: 0, alreadyLabeled: 0, unmatchedIds: [] };
  for (const r of results) {
    out.matched += r.matched;
    out.unmatched += r.unmatched;
    out.alreadyLabeled += r.alreadyLabeled;
    out.unmatchedIds.push(...r.unmatchedIds.slice(0, 100 - out.unmatchedIds.length));
  }
  return out;
}
