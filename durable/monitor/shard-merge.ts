// The coordinator's merge of a sharded version (issue 23). The coordinator is shard 0
// (the version's own object); it keeps, per other shard, the latest copy of each of that
// shard's minute and hour buckets (shard-log.ts sends whole buckets, never deltas), and
// a merged Buckets whose slot for minute t is
//   merged[t] = own[t] ⊕ shard₁[t] ⊕ … ⊕ shardₖ[t]
// where ⊕ is Aggregate.merge (event counts add; KLL sketches, histograms and CBPE states
// merge) and PerfState.merge. Because a shard's copy is replaced, not added to, each
// minute bucket of each shard is counted exactly once however often it is pulled, and
// the windows read off the merged Buckets (buckets.ts) are those one object would have
// built from the union of the events, exactly for counts and within the sketches'
// stated bounds for quantiles (a KLL merge keeps the ε of the whole stream: Karnin,
// Lang, Liberty 2016, "Optimal Quantile Approximation in Streams", section 4).
// Only slots that changed since the last refresh are re-merged, so a tick costs about one
// merge per shard for the open minute.
import type { Profile } from "../../stats/profile/schema.ts";
import type { Totals } from "../protocol.ts";
import { Aggregate } from "./aggregate.ts";
import { Buckets, KEEP_HOURS_MS, KEEP_MINUTES_MS, type Slot } from "./buckets.ts";
import { PerfState } from "./perf.ts";
import type { ShardPullReply } from "./shard-log.ts";
import type { BucketTable } from "./storage.ts";

interface RemoteShard {
  epoch: string | null;
  cursor: number;
  minutes: Map<number, Slot>;
  hours: Map<number, Slot>;
  totals: Totals | null;
}

const key = (table: BucketTable, t: number) => `${table}:${t}`;

export class ShardMerge {
  readonly remote = new Map<number, RemoteShard>();
  view: Buckets;
  #profile: Profile | null;
  #own: Buckets | null = null;
  #dirty = new Set<string>();
  #all = true;
  /** Milliseconds spent merging in the last refresh, and slots merged (the bench reads them). */
  lastMerge = { ms: 0, slots: 0 };
  /** Since this object started: milliseconds spent in refresh and slots merged (the bench divides by the coordinator's pulls). */
  mergedTotal = { ms: 0, slots: 0 };

  constructor(profile: Profile | null) {
    this.#profile = profile;
    this.view = new Buckets(profile);
  }

  /** Where to ask shard `shard` from (its epoch and cursor). */
  cursorOf(shard: number): { epoch: string | null; since: number } {
    const r = this.remote.get(shard);
    return { epoch: r?.epoch ?? null, since: r?.cursor ?? 0 };
  }

  /**
   * Takes a shard's reply. `counted`: whether its feature windows were built on the
   * coordinator's profile; if not, only counts, latency, estimates and performance merge
   * (its windows come again, whole, once it counts against the profile).
   */
  apply(shard: number, reply: ShardPullReply, counted: boolean, profile: Profile | null): void {
    this.#useProfile(profile);
    let r = this.remote.get(shard);
    if (!r || reply.full) {
      for (const table of ["minutes", "hours"] as const) for (const t of r?.[table].keys() ?? []) this.#dirty.add(key(table, t));
      r = { epoch: null, cursor: 0, minutes: new Map(), hours: new Map(), totals: null };
      this.remote.set(shard, r);
    }
    for (const b of reply.buckets) {
      const aggregate = Aggregate.fromRow(b, counted ? profile : null);
      r[b.table].set(b.t, { aggregate, perf: PerfState.fromJSON(b.perf === null ? null : JSON.parse(b.perf)) });
      this.#dirty.add(key(b.table, b.t));
    }
    // A shard on another profile is asked again from scratch once it has adopted ours.
    r.epoch = counted ? reply.epoch : null;
    r.cursor = reply.cursor;
    r.totals = reply.totals;
  }

  /** The merged buckets at `now`, given the coordinator's own buckets and profile. */
  refresh(own: Buckets, profile: Profile | null, now: number): Buckets {
    const started = performance.now();
    this.#useProfile(profile);
    if (own !== this.#own) {
      if (this.#own) this.#own.onPersist = null;
      this.#own = own;
      own.onPersist = (table, t) => this.#dirty.add(key(table, t));
      this.#all = true;
    }
    if (this.#all) {
      this.view = new Buckets(profile);
      this.#dirty.clear();
      for (const table of ["minutes", "hours"] as const) {
        for (const t of own[table].keys()) this.#dirty.add(key(table, t));
        for (const r of this.remote.values()) for (const t of r[table].keys()) this.#dirty.add(key(table, t));
      }
      this.#all = false;
    }
    this.#prune(now);
    let slots = 0;
    for (const k of this.#dirty) {
      const [table, text] = k.split(":") as [BucketTable, string];
      const t = Number(text);
      const parts = [own[table].get(t), ...[...this.remote.values()].map((r) => r[table].get(t))].filter((s): s is Slot => s !== undefined);
      if (parts.length === 0) {
        this.view.replace(table, t, null);
        continue;
      }
      const perf = new PerfState();
      for (const p of parts) perf.merge(p.perf);
      this.view.replace(table, t, { aggregate: Aggregate.mergeAll(profile, parts.map((p) => p.aggregate)), perf });
      slots++;
    }
    this.#dirty.clear();
    this.lastMerge = { ms: performance.now() - started, slots };
    this.mergedTotal.ms += this.lastMerge.ms;
    this.mergedTotal.slots += slots;
    return this.view;
  }

  #useProfile(profile: Profile | null): void {
    if (profile === this.#profile) return;
    // A new baseline: every shard's windows were built on the old one; ask all of them again.
    this.#profile = profile;
    for (const r of this.remote.values()) r.epoch = null;
    this.#all = true;
  }

  /** Drops what no window reads any more, in the copies and the view alike. */
  #prune(now: number): void {
    for (const [table, keep] of [["minutes", KEEP_MINUTES_MS], ["hours", KEEP_HOURS_MS]] as const) {
      for (const map of [this.view[table], ...[...this.remote.values()].map((r) => r[table])]) {
        for (const t of map.keys()) if (t < now - keep) map.delete(t);
      }
      for (const k of this.#dirty) if (k.startsWith(table) && Number(k.slice(table.length + 1)) < now - keep) this.#dirty.delete(k);
    }
  }

  /** The version's totals: the coordinator's own plus each shard's as of its last reply. */
  totals(own: Totals): Totals {
    const out = { ...own };
    for (const r of this.remote.values()) {
      const s = r.totals;
      if (!s) continue;
      out.events += s.events;
      out.batches += s.batches;
      out.duplicateBatches += s.duplicateBatches;
      out.actuals += s.actuals;
      out.unmatchedActuals += s.unmatchedActuals;
      out.lateEvents += s.lateEvents;
      out.rejectedEvents += s.rejectedEvents;
      if (s.lastEventAt !== null) out.lastEventAt = Math.max(out.lastEventAt ?? 0, s.lastEventAt);
    }
    return out;
  }
}
