// An ingest RPC to one monitor object, timed by the Worker: the signal of a version's
// "auto" shard mode that works deployed (round-trips.ts says why; docs/architecture.md,
// "The auto mode"). The tracker lives per isolate, as the version cache does: each
// isolate judges the objects it sends to, and the Postgres step (registry/auto-shards.ts)
// turns the verdicts of many isolates into one step per cool-down.
import type { IngestCall, IngestResult } from "../../durable/monitor/calls.ts";
import type { Bindings } from "../env.ts";
import { DEFAULT_ROUND_TRIP_POLICY, RoundTrips, type RoundTripPolicy } from "./round-trips.ts";

/** An ingest reply, and whether this isolate's round trips to the object say its queue stays long. */
export type TimedIngestResult = IngestResult & { queued?: true };

let roundTrips = new RoundTrips();

/** Tests: another policy (shorter spans, a smaller margin) from now on, every object's history forgotten; none: the default. */
export function setRoundTripPolicy(policy: RoundTripPolicy = DEFAULT_ROUND_TRIP_POLICY): void {
  roundTrips = new RoundTrips(policy);
}

/**
 * Sends the ingest to object `name` and records its round trip. Deployed, the Worker's clock
 * moves only across I/O; awaiting the RPC is I/O, so `Date.now()` after it is the time the
 * reply came. Only replies count: a call that failed (an object refusing as overloaded
 * fails fast) would read as a short round trip.
 */
export async function ingestTimed(env: Bindings, name: string, call: IngestCall): Promise<TimedIngestResult> {
  const sent = Date.now();
  const result: IngestResult = await env.ModelMonitor.getByName(name).ingest(call);
  const now = Date.now();
  roundTrips.record(name, now, now - sent);
  return roundTrips.queued(name, now) ? { ...result, queued: true } : result;
}
