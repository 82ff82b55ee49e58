// The Worker's half of the "auto" shard mode (issue 23): an ingest reply that says a
// monitor object stays overloaded, by the object's own busy share
// (durable/monitor/load-tracker.ts, which reads about 0 deployed) or by this isolate's
// round trips to it (round-trips.ts, the signal that works deployed), raises the version's
// shards one step (workers/registry/auto-shards.ts). Objects never write the registry:
// durable/ knows nothing of Postgres, so the verdict rides back to the Worker, which does.
//
// It runs before the reply, not after it: a verdict comes at most once per object per
// 90 s, so this is one Postgres round trip on a tiny fraction of requests, and the
// request's pool ends with the request (workers/middleware/database.ts). It never fails
// the ingest: the events are stored already; a failed step waits for the next verdict.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { raiseShards } from "../registry/auto-shards.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";
import { logError } from "../security/log-safe.ts";
import { forgetVersion } from "./resolve-version.ts";

/** Why a step was taken, for its audit entry. */
function reasonFor(record: ModelVersionRecord, reply: { overloaded?: true; queued?: true }): string {
  const signals = [
    ...(reply.overloaded === true ? ["stayed over its busy-share threshold"] : []),
    ...(reply.queued === true ? ["answered ingests far above its round-trip floor"] : []),
  ];
  return `a monitor object of ${record.model} ${record.version} ${signals.join(" and ")} at ${record.shards} shard(s)`;
}

/** When the reply says overloaded (either signal) and the version is auto: one step up; the new N, else null. */
export async function onIngestLoad(c: Context<AppEnv>, record: ModelVersionRecord, reply: { overloaded?: true; queued?: true }): Promise<number | null> {
  if ((reply.overloaded !== true && reply.queued !== true) || record.shardsMode !== "auto") return null;
  try {
    const raised = await raiseShards(c.var.db(), record, reasonFor(record, reply));
    // This isolate (which also read a stale N if another Worker stepped) routes by the new N
    // from its next batch; other isolates within their version cache's 60 s.
    forgetVersion(record.orgId, record.model, record.version);
    return raised;
  } catch (error) {
    logError(`auto shards: could not raise the shards of ${record.model} ${record.version}`, error);
    return null;
  }
}
