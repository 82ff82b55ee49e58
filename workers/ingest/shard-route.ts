// Routing a version's ingest and actuals across its monitor shards (issue 23;
// durable/monitor/shards.ts says why by prediction id). One shard is the single-object
// path exactly: the whole batch, one call, to the version's own object.
import type { ActualEvent, ActualsCall, ActualsResult, IngestCall } from "../../durable/monitor/calls.ts";
import { encodeBatch } from "../../durable/monitor/batch-codec.ts";
import type { EventColumns } from "../../durable/monitor/event-columns.ts";
import { monitorName, shardObjectName } from "../../durable/monitor/name.ts";
import { shardOf, splitByShard } from "../../durable/monitor/shards.ts";
import type { Bindings } from "../env.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";
import { ingestTimed, type TimedIngestResult } from "./ingest-round-trip.ts";

type Call = Omit<IngestCall, "count" | "events">;

function shardName(record: ModelVersionRecord, shard: number): string {
  return shardObjectName(monitorName(record.orgId, record.model, record.version), shard);
}

function shardStub(env: Bindings, record: ModelVersionRecord, shard: number) {
  return env.ModelMonitor.getByName(shardName(record, shard));
}

/**
 * Stores the batch: the coordinator first says which N it is split under (the N of the
 * batch id's first attempt, durable/monitor/shard-batches.ts, so a retry across a change
 * of `shards` splits as the first attempt did), then each shard gets its rows under the
 * same batch id, all in parallel. The batch counts as a duplicate only when every shard
 * had it; a retry of a batch some shards stored before a failure stores the rest and
 * reports them as accepted.
 */
export async function ingestToShards(env: Bindings, record: ModelVersionRecord, call: Call, batch: EventColumns): Promise<TimedIngestResult> {
  const shards = await shardStub(env, record, 0).claimShardedBatch(call.batchId, record.shards);
  const parts = splitByShard(batch, shards);
  // An auto version's ingests are timed: the Worker's round trips are its deployed load signal (ingest-round-trip.ts).
  const timed = record.shardsMode === "auto";
  // The first shard with rows carries the batch in the totals; the split is fixed for the batch id, so a retry picks the same one.
  const carrier = parts.findIndex((part) => part !== null);
  const results = await Promise.all(parts.map((part, shard): Promise<TimedIngestResult> | null => {
    if (part === null) return null;
    const shardCall = { ...call, count: part.length, events: encodeBatch(part), ...(shard === carrier ? {} : { countsBatch: false }) };
    return timed ? ingestTimed(env, shardName(record, shard), shardCall) : shardStub(env, record, shard).ingest(shardCall);
  }));
  const replied = results.filter((r): r is TimedIngestResult => r !== null);
  const accepted = replied.reduce((n, r) => n + r.accepted, 0);
  const duplicates = replied.filter((r) => r.duplicate);
  // Any shard that stays overloaded, by its own measure or the Worker's, speaks for the version (the auto mode, auto-shard.ts).
  const load = {
    ...(replied.some((r) => r.overloaded === true) ? { overloaded: true as const } : {}),
    ...(replied.some((r) => r.queued === true) ? { queued: true as const } : {}),
  };
  if (duplicates.length === replied.length) return { duplicate: true, accepted, firstSeenAt: Math.min(...duplicates.map((r) => r.firstSeenAt)), ...load };
  return { duplicate: false, accepted, ...load };
}

function groupByShard(actuals: readonly ActualEvent[], shardOfActual: (a: ActualEvent) => number): Map<number, ActualEvent[]> {
  const byShard = new Map<number, ActualEvent[]>();
  for (const a of actuals) {
    const shard = shardOfActual(a);
    const list = byShard.get(shard) ?? [];
    list.push(a);
    byShard.set(shard, list);
  }
  return byShard;
}

function add(out: ActualsResult, r: ActualsResult): void {
  out.matched += r.matched;
  out.unmatched += r.unmatched;
  out.alreadyLabeled += r.alreadyLabeled;
  out.unmatchedIds.push(...r.unmatchedIds.slice(0, 100 - out.unmatchedIds.length));
}

/**
 * Joins actuals where their predictions went. Each goes first to the shard its prediction
 * id hashes to under the current N. A prediction stored under an earlier N (the version's
 * `shards` changed since) lives on another of the shards that ever held data
 * (0 … shards_max − 1): the actuals not found at home are looked for there, all those
 * shards in parallel, and only the ones found nowhere are sent home once more to be
 * counted as unmatched, so each unmatched actual is counted once. A version that never had
 * more than one shard is the single object's one call.
 */
export async function actualsToShards(env: Bindings, record: ModelVersionRecord, call: ActualsCall): Promise<ActualsResult> {
  const out: ActualsResult = { matched: 0, unmatched: 0, alreadyLabeled: 0, unmatchedIds: [] };
  const everSharded = record.shardsMax > 1;
  const home = (a: ActualEvent) => shardOf(a.prediction_id, record.shards);
  const first = await Promise.all([...groupByShard(call.actuals, home)].map(([shard, actuals]) =>
    shardStub(env, record, shard).actuals({ ...call, actuals, ...(everSharded ? { deferUnmatched: true } : {}) }),
  ));
  let missing = new Set<string>();
  for (const r of first) {
    add(out, r);
    for (const id of r.deferred ?? []) missing.add(id);
  }
  if (missing.size === 0) return out;
  // Look on every shard that may hold data, other than an actual's home (already asked).
  const away = call.actuals.filter((a) => missing.has(a.prediction_id));
  const elsewhere = await Promise.all(Array.from({ length: Math.max(record.shardsMax, record.shards) }, (_, shard) => {
    const actuals = away.filter((a) => home(a) !== shard);
    return actuals.length === 0 ? null : shardStub(env, record, shard).actuals({ ...call, actuals, deferUnmatched: true });
  }));
  const foundElsewhere = new Set<string>();
  elsewhere.forEach((r, shard) => {
    if (r === null) return;
    const notHere = new Set(r.deferred ?? []);
    add(out, r);
    for (const a of away) if (home(a) !== shard && !notHere.has(a.prediction_id)) foundElsewhere.add(a.prediction_id);
  });
  missing = new Set([...missing].filter((id) => !foundElsewhere.has(id)));
  if (missing.size === 0) return out;
  // Found nowhere: counted unmatched once, on the home shard (which looks once more, in case the prediction just arrived).
  const last = await Promise.all([...groupByShard(away.filter((a) => missing.has(a.prediction_id)), home)].map(([shard, actuals]) =>
    shardStub(env, record, shard).actuals({ ...call, actuals }),
  ));
  for (const r of last) add(out, r);
  return out;
}
