import { Server, type Connection } from "partyserver";
import { evaluateAlerts } from "./alerts/monitor-alerts.ts";
import type { JointColumns } from "./monitor/joint-rows.ts";
import type { BaselineInfo, ServerMessage, SnapshotMessage } from "./protocol.ts";
import type { ActualsCall, ActualsResult, IngestCall, IngestResult, MonitorIdentity } from "./monitor/calls.ts";
import { sinkReports, type MonitorMetrics } from "./monitor/metrics-view.ts";
import type { ErasureCall, ErasureResult, ErasureStoreName } from "./monitor/erasure.ts";
import type { MonitorRetention, RetentionRemoved } from "./monitor/retention.ts";
import { Monitor } from "./monitor/monitor.ts";
import { parseMonitorName, parseShardName, shardObjectName } from "./monitor/name.ts";
import { SHARD_PROFILE_KEY, SHARD_REGISTERED_KEY, ShardCoordinator, type ShardRegistration } from "./monitor/shard-coordinator.ts";
import { ShardLog, type ShardPullReply, type ShardPullRequest } from "./monitor/shard-log.ts";
import { ShardBatches } from "./monitor/shard-batches.ts";
import type { LoadPolicy } from "./monitor/load-tracker.ts";
import { WorkMeter, type ObjectWork } from "./monitor/object-work.ts";
import { SegmentShardCopies } from "./monitor/segment-shard-copies.ts";
import { profileForRange, type RangeProfile } from "./monitor/range.ts";
import { drainOutbox, outboxRecord, type DrainReport, type Sink } from "./monitor/outbox.ts";
import { MonitorStore } from "./monitor/storage.ts";
import { CloudEventPairs, type CloudEventHalf, type PairOffer } from "./monitor/cloudevent-pairs.ts";
import type { ValueMatrix } from "../stats/impact/value.ts";

/** Alarm pace while traffic flows: a 2xx reaches the sockets within about this plus counting and scoring time (p99 freshness target: 1 s). */
export const TICK_MS = 250;
/** No events for this long: the alarm slows to once a minute, then stops. */
export const IDLE_AFTER_MS = 30_000;
const IDLE_TICK_MS = 60_000;
const RETRY_AFTER_ERROR_MS = 5_000;
/** History resolution: at most one outbox row (one Postgres point per window) this often. */
export const OUTBOX_EVERY_MS = 5_000;
/**
 * How long a tick waits for its outbox drain. A sink that hangs until its own timeout
 * (an OTLP collector or Kafka proxy that does not answer) must not hold back the next
 * scoring: past this the tick moves on, the drain carries on, and no second drain starts
 * until it ends.
 */
export const DRAIN_WAIT_MS = 2_000;

export interface MonitorStats {
  storageBytes: number;
  predictions: number;
  outbox: number;
  /** A sharded version's: every shard's summed as of the coordinator's last pull. */
  totals: SnapshotMessage["totals"];
  baseline: BaselineInfo;
  /** Minutes whose event-time series points are not yet in the outbox (monitor/series.ts). */
  seriesPending: number;
  /** A sharded version's coordinator: its shards and merge cost (storage and predictions above are this object's own). */
  sharding?: ShardMergeStats;
  /** This object's own work since it started (events: its own count, not the version's); busyShare: over the load tracker's last window (monitor/load-tracker.ts). */
  work: ObjectWork & { events: number; busyShare: number };
}

export interface ShardMergeStats {
  shards: number[];
  pullMs: number;
  mergeMs: number;
  mergedSlots: number;
  ticks: number;
  pullMsPerTick: number;
  mergeMsPerTick: number;
  mergedSlotsPerTick: number;
}

/**
 * One Durable Object per monitored model version (name `<orgId>:<model>:<version>`).
 * A 2xx ingest reply means the batch is committed to this object's SQLite storage;
 * the alarm loop (about once a second while traffic flows) counts stored batches into
 * 1-minute buckets, scores the 5m/1h/24h windows against the baseline, broadcasts
 * one update to dashboard sockets and appends an outbox row for the sinks. Hibernation
 * lets idle monitors cost nothing.
 *
 * It takes the generated global `Env` (worker-configuration.d.ts), as partyserver's
 * `Server<Env>` does, and never imports the Worker. Where the outbox drains is left
 * abstract: the Worker's composition root (workers/durable-objects.ts) subclasses it
 * with the sinks the deployment configures.
 */
export abstract class ModelMonitorServer extends Server<Env> {
  static override options = { hibernate: true };
  #monitor: Monitor | undefined;
  #alarmAt: number | null = null;
  #outboxDue = false;
  #lastOutboxAt = 0;
  lastDrain: DrainReport | null = null;
  #drain: Promise<DrainReport> | null = null;

  /** The sinks outbox rows drain to this tick (each on when the deployment configures it). */
  protected abstract sinks(): Sink[];

  get monitor(): Monitor {
    if (this.#monitor === undefined) {
      this.#monitor = new Monitor(new MonitorStore(this.ctx.storage));
      // A shard never freezes a baseline of its own: it counts against its coordinator's (shard-coordinator.ts).
      if (this.#shard !== null) {
        this.#monitor.baselineTarget = Number.POSITIVE_INFINITY;
        // Nor ranks its own segments: it follows its coordinator's tracked set (segment-buckets.ts).
        this.#monitor.useSegmentShards(null, true);
      }
      if (this.#shard === null && this.#monitor.store.getMeta("shards") !== null) this.#coordinate();
    }
    return this.#monitor;
  }

  // ---- Sharded versions (issue 23): shard i ≥ 1 is `<name>#shard-i`; this object is shard 0 and coordinates.
  #shardInfo: { coordinator: string; shard: number } | null | undefined;
  #shardLog: ShardLog | undefined;
  #coordinator: ShardCoordinator | undefined;

  /** This object's place among its version's shards; null for a coordinator or an unsharded version. */
  get #shard(): { coordinator: string; shard: number } | null {
    this.#shardInfo ??= parseShardName(this.ctx.id.name ?? this.name);
    return this.#shardInfo;
  }

  #coordinate(): ShardCoordinator {
    if (!this.#coordinator) {
      this.#coordinator = new ShardCoordinator(this.monitor);
      this.monitor.merged = this.#coordinator.merge;
      this.monitor.useSegmentShards(new SegmentShardCopies(this.ctx.storage.sql), false);
    }
    return this.#coordinator;
  }

  #shardBatches: ShardBatches | undefined;
  /** Time this object spent storing batches and in its ticks; whether it stays overloaded, said on its ingest replies (a version's "auto" shards). */
  readonly #work = new WorkMeter();

  /** Tests and benchmarks: a lower threshold or shorter spans than the defaults (monitor/load-tracker.ts), from now on. */
  async setLoadPolicy(policy: LoadPolicy): Promise<void> {
    this.#work.setPolicy(policy);
  }

  /** Tests: wait this long before each ingest, so the Worker's round trips to this object rise as a queue's would (workers/ingest/round-trips.ts). */
  #ingestDelayMs = 0;

  async setIngestDelay(ms: number): Promise<void> {
    this.#ingestDelayMs = ms;
  }

  /** Coordinator: the N batch `batchId` is split under (its first claim's; monitor/shard-batches.ts says why). */
  async claimShardedBatch(batchId: string, shards: number): Promise<number> {
    this.#shardBatches ??= new ShardBatches(this.ctx.storage.sql);
    const claimed = this.#shardBatches.claim(batchId, shards, Date.now(), () => this.monitor.store.dedupe.find(batchId) !== undefined);
    this.#schedule(TICK_MS); // the alarm prunes old claims
    return claimed;
  }

  /**
   * Coordinator: a shard is about to store its first batch; answers the baseline it must
   * count against and the tracked segments (so its first rows count in the version's set,
   * not in segments of its own choosing).
   */
  async registerShard(shard: number): Promise<ShardRegistration> {
    const coordinator = this.#coordinate();
    coordinator.register(shard);
    this.#schedule(TICK_MS);
    return { baseline: coordinator.baseline(this.monitor), segments: this.monitor.segments.tracked() };
  }

  /** Shard: the buckets changed since the coordinator's cursor (monitor/shard-log.ts), stored batches counted first. */
  async shardPull(request: ShardPullRequest): Promise<ShardPullReply> {
    const m = this.monitor;
    const now = Date.now();
    m.fold(now);
    const log = (this.#shardLog ??= new ShardLog());
    log.watch(m.buckets);
    log.watchSegments(m.store.segments);
    // The coordinator's tracked set first, so the rows sent are those of the set it will merge.
    m.followSegments(request.segments, (key) => log.known(key, request), now);
    return log.pull(m.buckets, request, m.totals, m.profile === null ? null : m.store.getMeta(SHARD_PROFILE_KEY), { buckets: m.segments, store: m.store.segments, now });
  }

  /** Shard: count against the coordinator's baseline (and its segments' baselines) from now on (stored batches are counted against the old one first). */
  async adoptBaseline(profile: string, key: string, segmentProfiles?: Record<string, string>): Promise<void> {
    const now = Date.now();
    this.monitor.fold(now);
    const segments = Object.fromEntries(Object.entries(segmentProfiles ?? {}).map(([k, p]) => [k, JSON.parse(p) as unknown]));
    this.monitor.setBaseline(JSON.parse(profile), now, undefined, segments);
    this.monitor.store.setMeta(SHARD_PROFILE_KEY, key);
  }

  /** Shard: before its first batch is stored, the coordinator learns of it (and hands over its baseline). */
  async #registerWithCoordinator(): Promise<void> {
    const shard = this.#shard;
    if (shard === null || this.monitor.store.getMeta(SHARD_REGISTERED_KEY) !== null) return;
    const { baseline, segments } = await this.env.ModelMonitor.getByName(shard.coordinator).registerShard(shard.shard);
    if (baseline && this.monitor.store.getMeta(SHARD_PROFILE_KEY) !== baseline.key) await this.adoptBaseline(baseline.profile, baseline.key, baseline.segmentProfiles);
    this.monitor.followSegments(segments, () => false, Date.now());
    this.monitor.store.setMeta(SHARD_REGISTERED_KEY, "1");
  }

  /** The version's totals: with shards, every shard's summed (as of the coordinator's last pull). */
  #totals(): SnapshotMessage["totals"] {
    const m = this.monitor;
    return this.#coordinator ? this.#coordinator.merge.totals(m.totals) : m.totals;
  }

  /**
   * Coordinator's merge cost (tests and the bench): the last pull and the last refresh of the
   * merged buckets, and since this object started, the pulls (one per tick) with their mean
   * cost per tick: pulling every shard (wall time, shards in parallel) and merging.
   */
  async shardMergeStats(): Promise<ShardMergeStats | null> {
    const c = this.#coordinator;
    if (!c) return null;
    const perTick = (x: number) => (c.pulls === 0 ? 0 : x / c.pulls);
    return {
      shards: c.shards(), pullMs: c.lastPullMs, mergeMs: c.merge.lastMerge.ms, mergedSlots: c.merge.lastMerge.slots,
      ticks: c.pulls, pullMsPerTick: perTick(c.pullMsTotal), mergeMsPerTick: perTick(c.merge.mergedTotal.ms), mergedSlotsPerTick: perTick(c.merge.mergedTotal.slots),
    };
  }

  override onStart() {
    void this.monitor;
  }

  #schedule(delayMs: number) {
    const at = Date.now() + delayMs;
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  /** Stores a validated batch; resolves once it is committed (or recognised as a retry). */
  async ingest(call: IngestCall): Promise<IngestResult> {
    // An awaited timer before the store, never inside it: the store stays one synchronous step.
    if (this.#ingestDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#ingestDelayMs));
    if (this.#shard !== null) await this.#registerWithCoordinator();
    const started = performance.now();
    const result: IngestResult = this.monitor.ingest(call);
    this.#work.record("ingest", performance.now() - started);
    if (!result.duplicate) this.#schedule(TICK_MS);
    return this.#work.overloaded(Date.now()) ? { ...result, overloaded: true } : result;
  }

  #pairs: CloudEventPairs | undefined;

  /** One half of a payload logger's inference (monitor/cloudevent-pairs.ts); the pair once both are here. */
  async offerCloudEvent(half: CloudEventHalf): Promise<PairOffer> {
    this.#pairs ??= new CloudEventPairs(this.ctx.storage.sql);
    return this.#pairs.offer(half, Date.now());
  }

  /** The pair was ingested (or refused for good); a half re-sent later is a duplicate. */
  async completeCloudEvent(pairId: string): Promise<void> {
    this.#pairs ??= new CloudEventPairs(this.ctx.storage.sql);
    this.#pairs.complete(pairId, Date.now());
  }

  /** Counts events the Worker refused on validation (they are never stored). */
  async countRejected(identity: MonitorIdentity, count: number): Promise<void> {
    this.monitor.countRejected(identity, count);
  }

  async actuals(call: ActualsCall): Promise<ActualsResult> {
    const result = this.monitor.actuals(call, Date.now());
    this.#schedule(TICK_MS);
    return result;
  }

  /** Erases a data subject's or listed predictions' rows (monitor/erasure.ts); repeatable, cumulative per request. */
  async erase(call: ErasureCall): Promise<ErasureResult> {
    const own = this.monitor.erase(call, Date.now());
    const out: ErasureResult = { removed: { ...own.removed }, predictionIds: [...own.predictionIds] };
    // A sharded version's rows sit on every shard that ever held data: the request reaches them through here.
    for (const r of await Promise.all(this.#otherShards().map((stub) => stub.erase(call) as Promise<ErasureResult>))) {
      for (const store of Object.keys(out.removed) as ErasureStoreName[]) out.removed[store] += r.removed[store] ?? 0;
      out.predictionIds.push(...r.predictionIds);
    }
    return out;
  }

  /** A sharded version's coordinator: its other shards (none on a shard, or for an unsharded version). */
  #otherShards() {
    void this.monitor; // a coordinator's list is read when its monitor is
    return (this.#coordinator?.shards() ?? []).map((shard) => this.env.ModelMonitor.getByName(shardObjectName(this.name, shard)));
  }

  /** The Worker finished the request: the prediction ids it kept for it are forgotten. */
  async closeErasure(requestId: string): Promise<void> {
    this.monitor.store.erasures.close(requestId);
    await Promise.all(this.#otherShards().map((stub) => stub.closeErasure(requestId)));
  }

  /** Keeps this version's retention policy for the alarm's pruning and applies it now (monitor/retention.ts); what went, per store. */
  async applyRetention(policy: MonitorRetention): Promise<RetentionRemoved> {
    const out = { ...this.monitor.applyRetention(policy, Date.now()) };
    // Each shard keeps the policy for its own alarm's pruning, as this object does.
    for (const r of await Promise.all(this.#otherShards().map((stub) => stub.applyRetention(policy) as Promise<RetentionRemoved>))) {
      for (const store of Object.keys(out) as (keyof RetentionRemoved)[]) out[store] += r[store] ?? 0;
    }
    return out;
  }

  /**
   * `rows`: a sample of the baseline's own rows (feature → values) for the multivariate scores;
   * `segmentProfiles`: per-segment baselines (segment key → profile) from the rows' segments.
   */
  async setBaseline(profile: unknown, rows?: JointColumns, segmentProfiles?: Record<string, unknown>): Promise<BaselineInfo> {
    const now = Date.now();
    // Batches stored before the new baseline are counted against the old one first.
    this.monitor.fold(now);
    const info = this.monitor.setBaseline(profile, now, rows, segmentProfiles);
    this.#schedule(0);
    return info;
  }

  /**
   * A profile of the traffic counted in [from, to) (Unix ms), merged from minute buckets
   * (last 2 h) and hour roll-ups (7 days); see monitor/range.ts. Counts stored batches first.
   * The caller stores it and pushes it back with setBaseline.
   */
  async profileForRange(from: number, to: number): Promise<RangeProfile> {
    const now = Date.now();
    const m = this.monitor;
    m.fold(now);
    return profileForRange({ buckets: m.buckets, store: m.store, baselineFrozenAt: m.baseline?.frozenAt ?? null }, from, to, now);
  }

  /** Sets (null: removes) the value matrix the windows' `value` is computed with (PUT …/value-matrix). */
  async setValueMatrix(matrix: ValueMatrix | null): Promise<void> {
    this.monitor.setValueMatrix(matrix);
    this.#schedule(0);
  }

  /** Which of these prediction ids this version holds for the label join (business outcomes are attributed by them). */
  async locatePredictions(ids: string[]): Promise<string[]> {
    this.monitor.fold(Date.now());
    return [...this.monitor.store.join.find(ids).keys()];
  }

  /** The prediction labels this version is known to produce, to check a value matrix against. */
  async predictionLabels(): Promise<string[]> {
    this.monitor.fold(Date.now());
    return this.monitor.predictionLabels();
  }

  /** Until a baseline is uploaded, freeze the first `events` events (tests and benchmarks use small values). */
  async setAutoBaselineTarget(events: number): Promise<void> {
    this.monitor.baselineTarget = events;
  }

  /** The live view, as a socket would receive it on connect. */
  async live(): Promise<SnapshotMessage> {
    return this.#snapshot(Date.now());
  }

  /**
   * The live view with one segment's windows (a tracked segment's key, or "other") in place
   * of the global ones; null when the monitor does not track it.
   */
  /** Whether the monitor tracks this segment now (GET …/metrics?segment= answers 404 otherwise). */
  async tracksSegment(segment: string): Promise<boolean> {
    return this.monitor.segments.slots.has(segment);
  }

  async liveSegment(segment: string): Promise<SnapshotMessage | null> {
    // A coordinator's copies of its shards' segment rows are up to SEGMENT_ROWS_PULL_MS old: bring them now.
    if (this.#coordinator) await this.#coordinator.pull(this.monitor, (shard) => this.env.ModelMonitor.getByName(shardObjectName(this.name, shard)), { segmentRows: true });
    const now = Date.now();
    const windows = this.monitor.segmentWindows(segment, now);
    return windows === null ? null : { ...this.#snapshot(now), windows, segment };
  }

  /** The live view plus freshness and sink health, for GET /metrics. */
  async metrics(): Promise<MonitorMetrics> {
    const now = Date.now();
    return { snapshot: this.#snapshot(now), freshness: this.monitor.freshness, sinks: sinkReports(this.monitor.store, this.sinks().map((s) => s.name)) };
  }

  async stats(): Promise<MonitorStats> {
    const m = this.monitor;
    const sharding = await this.shardMergeStats();
    return {
      storageBytes: m.store.databaseSize(), predictions: m.store.join.count(), outbox: m.store.outboxSize(), totals: this.#totals(), baseline: m.baselineInfo(), seriesPending: m.series.pending,
      ...(sharding ? { sharding } : {}),
      work: { ...this.#work.total, events: m.totals.events, busyShare: this.#work.busyShare(Date.now()) },
    };
  }

  #snapshot(now: number): SnapshotMessage {
    const m = this.monitor;
    const named = parseMonitorName(this.name);
    return {
      type: "snapshot",
      model: m.identity?.model ?? named?.model ?? this.name,
      version: m.identity?.version ?? named?.version ?? "",
      serverTime: now,
      baseline: m.baselineInfo(),
      windows: m.windows(now),
      volume: m.volume(now),
      eventRate: m.eventRate(now),
      totals: this.#totals(),
      multivariate: m.multivariate,
      embeddings: m.embeddings.views,
      segments: m.segmentSummary(),
    };
  }

  override onConnect(connection: Connection) {
    const message: ServerMessage = parseMonitorName(this.name)
      ? this.#snapshot(Date.now())
      : { type: "error", code: "bad_room", message: `room must be <model>:<version>, got "${this.name}"` };
    connection.send(JSON.stringify(message));
  }

  override onRequest(): Response {
    return Response.json(this.#snapshot(Date.now()));
  }

  /** The outbox drain's report if it ends within `waitMs` (an error thrown by then is thrown here), else null. */
  async #drainWithin(now: number, waitMs: number): Promise<DrainReport | null> {
    if (!this.#drain) {
      const drain = drainOutbox(this.monitor.store, this.sinks(), now);
      this.#drain = drain;
      drain
        .then((report) => (this.lastDrain = report), (error: unknown) => console.error(`ModelMonitor ${this.name}: outbox drain failed:`, (error as Error).stack ?? error))
        .finally(() => {
          if (this.#drain === drain) this.#drain = null;
        });
      this.ctx.waitUntil(drain.catch(() => undefined));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    try {
      return await Promise.race([this.#drain, waited]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  override async onAlarm() {
    this.#alarmAt = null;
    const now = Date.now();
    const m = this.monitor;
    let next: number | null;
    if (this.#shard !== null) return this.#shardAlarm(now);
    try {
      const pulled = this.#coordinator ? await this.#coordinator.pull(m, (shard) => this.env.ModelMonitor.getByName(shardObjectName(this.name, shard))) : 0;
      // Buckets from shards changed the windows and the series even when this object counted nothing.
      if (pulled > 0) this.#outboxDue = true;
      this.#shardBatches?.prune(now);
      const tickStarted = performance.now();
      const tick = m.tick(now);
      this.#work.record("tick", performance.now() - tickStarted);
      const message = {
        type: "update",
        serverTime: now,
        tick: m.tickCount,
        baseline: m.baselineInfo(),
        windows: tick.windows,
        volume: m.volume(now, 2 * 60_000),
        eventRate: m.eventRate(now),
        totals: this.#totals(),
        multivariate: m.multivariate,
        embeddings: m.embeddings.views,
        segments: m.segmentSummary(),
      } satisfies ServerMessage;
      this.broadcast(JSON.stringify(message));
      await evaluateAlerts(this.ctx.storage.sql, this.env, m, tick.windows, now);
      if (tick.changed) this.#outboxDue = true;
      const outboxWaits = this.#outboxDue && now - this.#lastOutboxAt < OUTBOX_EVERY_MS;
      if (this.#outboxDue && !outboxWaits && m.identity) {
        m.store.appendOutbox(now, JSON.stringify(outboxRecord(m.identity, now, m.tickCount, tick.windows, this.#totals(), m.freshness?.ingestToCountMs ?? null, m.takeSeries(now), m.takeSegmentHistory(now))));
        // The points are in the outbox now: the minutes they covered are no longer owed.
        m.saveSeries();
        this.#outboxDue = false;
        this.#lastOutboxAt = now;
      }
      const drained = await this.#drainWithin(now, DRAIN_WAIT_MS);
      // Still draining: look again soon, so rows it leaves behind are not forgotten.
      const drainNext = drained ? drained.retryAt : now + DRAIN_WAIT_MS;
      const shardsActive = this.#coordinator !== undefined && (this.#totals().lastEventAt ?? 0) > now - IDLE_AFTER_MS;
      next = m.isActive(now, IDLE_AFTER_MS) || outboxWaits || shardsActive ? now + TICK_MS : drainNext;
      if (next === null && (m.totals.lastEventAt ?? 0) > now - 24 * 3_600_000) next = now + IDLE_TICK_MS;
      if (next !== null) next = Math.max(next, now + TICK_MS);
    } catch (error) {
      console.error(`ModelMonitor ${this.name}: alarm failed:`, (error as Error).stack ?? error);
      next = now + RETRY_AFTER_ERROR_MS;
    }
    if (next !== null) this.#schedule(next - Date.now());
  }

  /** A shard's alarm: count, roll and prune; scoring, alerts, sockets and the outbox are its coordinator's. */
  #shardAlarm(now: number): void {
    const m = this.monitor;
    let next: number | null = null;
    try {
      const tickStarted = performance.now();
      m.tick(now, false);
      this.#work.record("tick", performance.now() - tickStarted);
      // The coordinator sends the series points from the merged buckets; a shard's own list would only grow.
      m.series.clear();
      m.saveSeries();
      if (m.isActive(now, IDLE_AFTER_MS)) next = now + TICK_MS;
      else if ((m.totals.lastEventAt ?? 0) > now - 24 * 3_600_000) next = now + IDLE_TICK_MS;
    } catch (error) {
      console.error(`ModelMonitor ${this.name}: shard alarm failed:`, (error as Error).stack ?? error);
      next = now + RETRY_AFTER_ERROR_MS;
    }
    if (next !== null) this.#schedule(next - Date.now());
  }
}
