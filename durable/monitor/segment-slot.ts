// One tracked segment's state in memory (segment-buckets.ts says what each part holds).
import type { Profile } from "../../stats/profile/schema.ts";
import { Aggregate } from "./aggregate.ts";
import type { PerfState } from "./perf.ts";

export interface SegmentCaches {
  block: number;
  closedBlocks: Aggregate;
  hourBlocks: Aggregate;
  hour: number;
  closedDay: Aggregate;
}

/** One tracked segment (or `other`): its open minute, closed-part caches and performance. */
export class SegmentSlot {
  readonly key: string;
  since: number;
  profile: Profile | null;
  /** Whether `profile` is the segment's own baseline (else the global one). */
  ownBaseline: boolean;
  minute: number;
  open: Aggregate;
  dirty = false;
  caches: SegmentCaches | null = null;
  readonly perfMinutes = new Map<number, PerfState>();
  readonly perfHours = new Map<number, PerfState>();
  readonly dirtyPerf = new Set<string>();

  constructor(key: string, since: number, minute: number, profile: Profile | null, ownBaseline: boolean) {
    this.key = key;
    this.since = since;
    this.minute = minute;
    this.profile = profile;
    this.ownBaseline = ownBaseline;
    this.open = new Aggregate(profile);
  }

  /** Bytes the slot's aggregates serialize to (the memory benchmark's measure). */
  serializedBytes(): number {
    const parts = [this.open, ...(this.caches ? [this.caches.closedBlocks, this.caches.hourBlocks, this.caches.closedDay] : [])];
    let n = 0;
    for (const p of parts) {
      const row = p.toRow();
      n += (row.window?.byteLength ?? 0) + (row.latency?.byteLength ?? 0) + (row.estimate?.length ?? 0);
    }
    return n;
  }
}
