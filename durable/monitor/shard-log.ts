// A shard's side of the coordinator's pull (issue 23): which minute and hour buckets
// changed since the coordinator last asked. Every bucket write goes through
// Buckets.persist inside the transaction that consumed its input, so a bucket logged
// here is committed; the reply carries each changed bucket's whole current state (not a
// delta), which the coordinator puts in place of its copy. A bucket sent twice is
// therefore harmless, and one never sent is caught by the cursor. The log is memory
// only: a restarted shard (or one whose memory was rebuilt) starts a new epoch, and a
// pull from another epoch gets every bucket in memory.
import type { Totals } from "../protocol.ts";
import type { Buckets } from "./buckets.ts";
import type { BucketTable, StoredBucket } from "./storage.ts";

export interface ShardPullRequest {
  /** The epoch and cursor of the coordinator's last reply from this shard; null for none. */
  epoch: string | null;
  since: number;
}

export interface ShardBucket extends StoredBucket {
  table: BucketTable;
}

export interface ShardPullReply {
  epoch: string;
  cursor: number;
  /** True when `buckets` is every bucket the shard holds (the coordinator drops what it had). */
  full: boolean;
  buckets: ShardBucket[];
  totals: Totals;
  /** The coordinator's profile key this shard counts against (shard-coordinator.ts); null without one. */
  profileKey: string | null;
}

export class ShardLog {
  epoch = crypto.randomUUID();
  #seq = 0;
  readonly #changed = new Map<string, number>();
  #watched: Buckets | null = null;

  /** Follows `buckets`' writes; a new Buckets object (memory rebuilt after a rollback) starts a new epoch. */
  watch(buckets: Buckets): void {
    if (this.#watched === buckets) return;
    if (this.#watched !== null) {
      this.#watched.onPersist = null;
      this.epoch = crypto.randomUUID();
      this.#changed.clear();
    }
    this.#watched = buckets;
    buckets.onPersist = (table, t) => this.#changed.set(`${table}:${t}`, ++this.#seq);
  }

  /** The buckets changed since the request's cursor, or all of them for another epoch. */
  pull(buckets: Buckets, request: ShardPullRequest, totals: Totals, profileKey: string | null): ShardPullReply {
    this.watch(buckets);
    const full = request.epoch !== this.epoch;
    const out: ShardBucket[] = [];
    for (const table of ["minutes", "hours"] as const) {
      const map = table === "minutes" ? buckets.minutes : buckets.hours;
      for (const [t, slot] of map) {
        const seq = this.#changed.get(`${table}:${t}`);
        if (!full && (seq === undefined || seq <= request.since)) continue;
        out.push({ table, t, ...slot.aggregate.toRow(), perf: JSON.stringify(slot.perf.toJSON()) });
      }
    }
    // Buckets memory no longer holds will never be sent again: forget them.
    for (const key of this.#changed.keys()) {
      const [table, t] = key.split(":") as [BucketTable, string];
      if (!(table === "minutes" ? buckets.minutes : buckets.hours).has(Number(t))) this.#changed.delete(key);
    }
    return { epoch: this.epoch, cursor: this.#seq, full, buckets: out, totals: { ...totals }, profileKey };
  }
}
