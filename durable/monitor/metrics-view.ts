// What a ModelMonitor reports for metrics exports (GET /metrics, OTLP): the live view a
// dashboard socket receives, plus the numbers about the object itself that the view
// leaves out: how fresh its scores are and how each outbox sink is doing. Kept apart
// from protocol.ts because no socket carries it.
import type { SnapshotMessage } from "../protocol.ts";
import type { Freshness } from "./monitor.ts";
import type { MonitorStore } from "./storage.ts";

/** One outbox sink as seen from this object. */
export interface SinkReport {
  name: string;
  /** Failed sends since the object was created (each retry that fails counts). */
  failuresTotal: number;
  /** Failures since the last success; 0 while the sink takes rows. */
  consecutiveFailures: number;
  /** Outbox rows this sink has not taken yet. */
  backlog: number;
  lastError: string | null;
}

export interface MonitorMetrics {
  snapshot: SnapshotMessage;
  freshness: Freshness | null;
  sinks: SinkReport[];
}

const failuresKey = (sink: string) => `sink_failures_total:${sink}`;

/** Adds one to a sink's lifetime failure count (in meta, beside its retry state). */
export function countSinkFailure(store: MonitorStore, sink: string): void {
  store.setMeta(failuresKey(sink), String(sinkFailuresTotal(store, sink) + 1));
}

export function sinkFailuresTotal(store: MonitorStore, sink: string): number {
  return Number(store.getMeta(failuresKey(sink)) ?? 0);
}

export function sinkReports(store: MonitorStore, names: readonly string[]): SinkReport[] {
  const last = store.lastOutboxSeq();
  return names.map((name) => {
    const state = store.sinkState(name);
    return {
      name,
      failuresTotal: sinkFailuresTotal(store, name),
      consecutiveFailures: state.failures,
      backlog: Math.max(0, last - state.cursor),
      lastError: state.last_error,
    };
  });
}
