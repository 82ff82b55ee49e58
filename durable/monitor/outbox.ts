// The outbox: one row per tick with the scored windows, drained to each configured
// sink (Postgres history, Redis latest scores, Kafka) at its own pace. A sink keeps a
// cursor into the outbox; a failed send backs off exponentially (1 s doubling, at most
// 60 s) and retries the same rows, so a sink that is down only delays its rows. Rows
// leave the outbox once every sink has taken them.
import type { Totals, WindowView } from "../protocol.ts";
import type { MonitorIdentity } from "./calls.ts";
import { countSinkFailure } from "./metrics-view.ts";
import type { MonitorStore, OutboxRow } from "./storage.ts";
import type { SeriesPoint } from "./series.ts";

/** What one outbox row carries to the sinks. */
export interface AggregateRecord {
  orgId: string;
  model: string;
  version: string;
  /** Unix ms of the tick. */
  at: number;
  tick: number;
  windows: WindowView[];
  totals: Totals;
  /** How long the oldest batch counted by the latest count waited since its ingest (ms); null before any. */
  ingestToCountMs?: number | null;
  /** Event-time buckets changed since the previous row (series.ts), for GET …/impact. */
  series?: SeriesPoint[];
  /** The tracked segments' windows, at most once a minute (segment-views.ts), for GET …/metrics?segment=. */
  segments?: { key: string; windows: WindowView[] }[];
}

export interface Sink {
  readonly name: string;
  /** Rows per send (DRAIN_BATCH when unset): sinks that batch well take more per request. */
  readonly batchSize?: number;
  /** Sends rows in order; throws when the sink cannot take them now. */
  send(records: AggregateRecord[]): Promise<void>;
}

export const DRAIN_BATCH = 200;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

const slimWindows = (windows: WindowView[]): WindowView[] =>
  windows.map((w) => ({
    ...w,
    features: w.features.map((f) => ({ ...f, distribution: null })),
    prediction: w.prediction ? { ...w.prediction, distribution: null } : null,
  }));

/** The record as stored: distributions stay on the sockets, history keeps the scores. */
export function outboxRecord(
  identity: MonitorIdentity, at: number, tick: number, windows: WindowView[], totals: Totals, ingestToCountMs: number | null = null, series: SeriesPoint[] = [],
  segments: { key: string; windows: WindowView[] }[] = [],
): AggregateRecord {
  const record: AggregateRecord = { orgId: identity.orgId, model: identity.model, version: identity.version, at, tick, windows: slimWindows(windows), totals, ingestToCountMs };
  if (series.length > 0) record.series = series;
  if (segments.length > 0) record.segments = segments.map((s) => ({ key: s.key, windows: slimWindows(s.windows) }));
  return record;
}

export interface DrainReport {
  sent: Record<string, number>;
  failed: Record<string, string>;
  /** Earliest time a backed-off sink may be retried; null when nothing waits. */
  retryAt: number | null;
}

const records = (rows: OutboxRow[]) => rows.map((r) => JSON.parse(r.payload) as AggregateRecord);

/**
 * Sends each sink its rows, all sinks at once: a sink that hangs until its timeout (a
 * collector that does not answer) delays only its own rows, never another sink's.
 */
export async function drainOutbox(store: MonitorStore, sinks: readonly Sink[], now: number): Promise<DrainReport> {
  const report: DrainReport = { sent: {}, failed: {}, retryAt: null };
  const last = store.lastOutboxSeq();
  await Promise.all(sinks.map(async (sink) => {
    const state = store.sinkState(sink.name);
    if (state.cursor >= last) return;
    if (state.next_attempt_at > now) {
      report.retryAt = Math.min(report.retryAt ?? Infinity, state.next_attempt_at);
      return;
    }
    let sent = 0;
    try {
      for (;;) {
        const rows = store.outboxAfter(state.cursor, sink.batchSize ?? DRAIN_BATCH);
        if (rows.length === 0) break;
        await sink.send(records(rows));
        state.cursor = (rows[rows.length - 1] as OutboxRow).seq;
        sent += rows.length;
        state.failures = 0;
        state.last_error = null;
        state.next_attempt_at = 0;
        store.saveSinkState(state);
      }
    } catch (error) {
      state.failures++;
      countSinkFailure(store, sink.name);
      state.last_error = (error as Error).message.slice(0, 500);
      state.next_attempt_at = now + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (state.failures - 1));
      store.saveSinkState(state);
      report.failed[sink.name] = state.last_error;
      report.retryAt = Math.min(report.retryAt ?? Infinity, state.next_attempt_at);
    }
    report.sent[sink.name] = sent;
  }));
  const cursors = sinks.map((s) => store.sinkState(s.name).cursor);
  store.pruneOutbox(cursors.length === 0 ? last : Math.min(...cursors));
  return report;
}
