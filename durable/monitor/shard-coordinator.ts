// The coordinator of a sharded version (issue 23): the version's own object (shard 0).
// It keeps the list of shards that ever registered (a shard registers before it stores
// its first batch, so no shard can hold data the coordinator does not know of), pulls
// each one's changed buckets on every tick (shard-log.ts), merges them (shard-merge.ts),
// and hands its baseline to any shard counting against another one.
//
// Pull rather than push: the coordinator's tick is the one place windows are scored, so
// it asks for exactly what it needs when it needs it, a slow or restarted shard only
// delays its own share, and a shard never has to know whether the coordinator is awake.
// Lowering `shards` loses nothing: a shard stays on the list (and is pulled) after the
// Worker stops routing to it, so its buckets keep counting until they age out of the
// windows; raising it double-counts nothing, since each shard sends only its own buckets.
//
// Segments: one tracked set for all shards. The coordinator ranks it on every shard's
// counts and sends it with each pull; a shard follows it, and the coordinator takes a
// shard's own admissions (a new segment seen while slots are free) as its own
// (segment-buckets.ts follow / adoptShardSegments). The shards' segment rows are copied
// like the buckets (segment-shard-copies.ts), but every SEGMENT_ROWS_PULL_MS rather than on
// every tick: a segment's rows are its whole window state (hundreds of KB at 50 features),
// its open minute changes with every batch, and segments are scored at most every 15 s
// (segment-views.ts), so per-tick copies would cost about twenty times as much for
// nothing. GET …/live?segment= pulls them first, so what it shows is current. Where the
// coordinator is in each shard's rows is stored (a restarted coordinator goes on from
// there while the shard lives); a whole copy (a new shard epoch) comes in pages of at most
// SEGMENT_PAGE_BYTES, one per tick until done.
import { writeProfile } from "../../stats/profile/io.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import type { TrackedSegment } from "../../stats/streaming/segments.ts";
import type { Monitor } from "./monitor.ts";
import { ShardMerge } from "./shard-merge.ts";
import type { ShardPullReply, ShardPullRequest } from "./shard-log.ts";
import { idHash } from "./shards.ts";
import type { MonitorStore } from "./storage.ts";

const SHARDS_KEY = "shards";
/** How often the coordinator asks its shards for their changed segment rows. */
export const SEGMENT_ROWS_PULL_MS = 5_000;
/** On a shard: the coordinator profile key it counts against. */
export const SHARD_PROFILE_KEY = "shard_profile_key";
/** On a shard: set once it has registered with its coordinator. */
export const SHARD_REGISTERED_KEY = "shard_registered";

/** The RPCs a coordinator calls on a shard (ModelMonitorServer implements them). */
export interface ShardStub {
  shardPull(request: ShardPullRequest): Promise<ShardPullReply>;
  adoptBaseline(profile: string, key: string, segmentProfiles?: Record<string, string>): Promise<void>;
}

/** The baseline a shard must count against: the coordinator's stored profile, its per-segment baselines and their key. */
export interface ShardBaseline {
  profile: string;
  key: string;
  /** Segment key → that segment's own baseline (JSON as stored), so a segment's rows merge on the same bins everywhere. */
  segmentProfiles?: Record<string, string>;
}

/** What a shard learns when it registers: the baseline and the tracked segments it follows until its first pull. */
export interface ShardRegistration {
  baseline: ShardBaseline | null;
  segments: TrackedSegment[];
}

/** A stable name for the coordinator's current baseline (its stored JSON's hash and length, and its segment baselines' when it has any). */
export function profileKey(store: MonitorStore): string | null {
  const text = store.getMeta("profile");
  if (text === null) return null;
  const segments = [...store.segments.profiles()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, p]) => `${k}\n${p}`).join("\n");
  return `${idHash(text).toString(36)}:${text.length}${segments === "" ? "" : `+${idHash(segments).toString(36)}:${segments.length}`}`;
}

/** The profile as writeProfile spells it (the stored meta is JSON.stringify's, which keeps no typed arrays such as a reference grid). */
export function shardBaseline(monitor: Monitor): ShardBaseline | null {
  const key = profileKey(monitor.store);
  if (monitor.profile === null || key === null) return null;
  const segmentProfiles = monitor.store.segments.profiles();
  return { profile: writeProfile(monitor.profile), key, ...(segmentProfiles.size > 0 ? { segmentProfiles: Object.fromEntries(segmentProfiles) } : {}) };
}

export class ShardCoordinator {
  readonly merge: ShardMerge;
  readonly #store: MonitorStore;
  /** Milliseconds of the last pull (all shards in parallel, replies applied). */
  lastPullMs = 0;
  /** Pulls since this object started and their total milliseconds (one pull per coordinator tick). */
  pulls = 0;
  pullMsTotal = 0;
  #rowsPulledAt = Number.NEGATIVE_INFINITY;
  /** Pulls run one at a time (the alarm's and an on-demand segment view's), so replies apply in order. */
  #pulling: Promise<unknown> = Promise.resolve();
  /** The baseline handed to shards, for the profile it was built from (hashing it on every pull would cost more than the pull). */
  #baseline: { profile: Profile | null; baseline: ShardBaseline | null } | null = null;

  constructor(monitor: Monitor) {
    this.#store = monitor.store;
    this.merge = new ShardMerge(monitor.profile);
  }

  /** Shards other than this one that ever registered, ascending. */
  shards(): number[] {
    return JSON.parse(this.#store.getMeta(SHARDS_KEY) ?? "[]") as number[];
  }

  /** Records a shard; durable when it returns (before the shard stores anything). */
  register(shard: number): void {
    const shards = this.shards();
    if (shards.includes(shard)) return;
    this.#store.setMeta(SHARDS_KEY, JSON.stringify([...shards, shard].sort((a, b) => a - b)));
  }

  /**
   * Pulls every shard's changed buckets into the merge. A shard that fails is left at its
   * last reply (its cursor unchanged, so nothing is skipped) and asked again next tick.
   * Returns the number of buckets received (their minutes are now owed series points).
   */
  async pull(monitor: Monitor, stubOf: (shard: number) => ShardStub, options: { segmentRows?: boolean } = {}): Promise<number> {
    const run = this.#pulling.then(() => this.#pull(monitor, stubOf, options.segmentRows ?? false));
    this.#pulling = run.catch(() => undefined);
    return run;
  }

  /** The baseline shards must count against (cached per profile object: a new baseline is a new object). */
  baseline(monitor: Monitor): ShardBaseline | null {
    if (this.#baseline?.profile !== monitor.profile) this.#baseline = { profile: monitor.profile, baseline: shardBaseline(monitor) };
    return this.#baseline.baseline;
  }

  async #pull(monitor: Monitor, stubOf: (shard: number) => ShardStub, forceRows: boolean): Promise<number> {
    const started = performance.now();
    const baseline = this.baseline(monitor);
    const now = Date.now();
    const rowsDue = forceRows || now - this.#rowsPulledAt >= SEGMENT_ROWS_PULL_MS;
    if (rowsDue) this.#rowsPulledAt = now;
    let buckets = 0;
    await Promise.all(this.shards().map(async (shard) => {
      const stub = stubOf(shard);
      try {
        const copies = monitor.segments.remote;
        const rows = copies?.rowsCursor(shard) ?? null;
        // A whole copy under way goes on every tick, a page at a time.
        const askRows = rowsDue || (rows?.after ?? null) !== null;
        const reply = await stub.shardPull({
          ...this.merge.cursorOf(shard),
          segments: monitor.segments.tracked(),
          ...(askRows ? { segmentRows: { epoch: rows?.epoch ?? null, since: rows?.since ?? 0, after: rows?.after ?? null } } : {}),
        });
        const counted = reply.profileKey === (baseline?.key ?? null);
        this.merge.apply(shard, reply, counted, monitor.profile);
        const part = reply.segments;
        const got = part?.rows;
        if (part) monitor.applyShardSegments(shard, part, reply.full, counted, Date.now(), () => {
          if (!got || !copies) return;
          // Where the copies stand now, stored with them. Rows on another baseline were not kept: a whole copy is next.
          if (!counted) copies.setRowsCursor(shard, null);
          else if (got.start) copies.setRowsCursor(shard, { epoch: got.epoch, since: reply.cursor, after: got.after });
          else if (rows?.after) copies.setRowsCursor(shard, { ...rows, after: got.after });
          else copies.setRowsCursor(shard, { epoch: got.epoch, since: reply.cursor, after: null });
        });
        buckets += reply.buckets.length;
        // The event-time series (series.ts) owes a point for every minute (and hour) a shard changed.
        for (const b of reply.buckets) monitor.series.touch(b.t);
        if (!counted && baseline) await stub.adoptBaseline(baseline.profile, baseline.key, baseline.segmentProfiles);
      } catch (error) {
        console.error(`shard ${shard} pull failed:`, (error as Error).message);
      }
    }));
    this.lastPullMs = performance.now() - started;
    this.pulls++;
    this.pullMsTotal += this.lastPullMs;
    return buckets;
  }
}
