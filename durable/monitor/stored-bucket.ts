// A bucket row as SQLite hands it back (minutes, hours, segment_buckets and the
// coordinator's copies share these columns): BLOBs as bytes, text columns or null.
import type { AggregateRow } from "./aggregate.ts";

export interface StoredBucket extends AggregateRow {
  t: number;
  perf: string | null;
}

const bytes = (v: SqlStorageValue | undefined): Uint8Array | null => (v instanceof ArrayBuffer ? new Uint8Array(v) : null);

/** The bucket columns of a row: t, events, window, latency, perf, estimate. */
export function readStoredBucket(r: Record<string, SqlStorageValue>): StoredBucket {
  return {
    t: Number(r.t),
    events: Number(r.events),
    window: bytes(r.window ?? undefined),
    latency: bytes(r.latency ?? undefined),
    perf: typeof r.perf === "string" ? r.perf : null,
    estimate: typeof r.estimate === "string" ? r.estimate : null,
  };
}
