// The ModelMonitor's logic, apart from partyserver: store accepted batches, fold
// them into buckets on each tick, join actuals, build the protocol's windows. All of
// a tick's writes commit in one SQLite transaction with the batches they consumed,
// so a crash replays exactly the batches that were not yet counted.
import { readProfile } from "../../stats/profile/io.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import type { BaselineInfo, MultivariateView, SegmentsView, Totals, VolumePoint, WindowView } from "../protocol.ts";
import { selectedCount } from "../../stats/streaming/columns.ts";
import { AUTO_BASELINE_EVENTS, profileFromBatches } from "./auto-baseline.ts";
import { decodeBatch, encodeBatch } from "./batch-codec.ts";
import { Buckets, hourOf, MINUTE, minuteOf } from "./buckets.ts";
import type { SeenBatch } from "./batch-dedupe.ts";
import type { ActualsCall, ActualsResult, FeatureSpec, IngestCall, IngestResult, Label, MonitorIdentity } from "./calls.ts";
import { eraseRows, type ErasureCall, type ErasureResult } from "./erasure.ts";
import type { EventColumns } from "./event-columns.ts";
import { groupByMinute } from "./event-time.ts";
import { EmbeddingRows } from "./embedding-rows.ts";
import { type JointColumns, jointRowCount, JOINT_ROWS, sampleBatches } from "./joint-rows.ts";
import { JOINT_EVERY_MS, JointScores } from "./joint-scores.ts";
import { PerfState, taskOf } from "./perf.ts";
import { SERIES_PENDING_KEY, SeriesTracker, type SeriesPoint } from "./series.ts";
import { applyRetention, hoursHorizonMs, joinHorizonMs, loadRetention, saveRetention, type MonitorRetention, type RetentionRemoved } from "./retention.ts";
import { REFERENCE_CUTOFF_KEY, REFERENCE_PERF_KEY, VALUE_MATRIX_KEY, windowValue } from "./value.ts";
import type { ValueMatrix } from "../../stats/impact/value.ts";
import { piiNumerical, withoutValues } from "./pii.ts";
import type { MonitorStore, PendingBatch } from "./storage.ts";
import { windowView } from "./window-view.ts";
import { DEFAULT_TOP_K } from "../../stats/streaming/segments.ts";
import { segmentProfilesFromBatches } from "./segment-baselines.ts";
import { SegmentBuckets } from "./segment-buckets.ts";
import type { SegmentPullPart, SegmentShardCopies } from "./segment-shard-copies.ts";
import type { TrackedSegment } from "../../stats/streaming/segments.ts";
import { SegmentViews } from "./segment-views.ts";
import type { ShardMerge } from "./shard-merge.ts";

/** The label join's horizon before a retention policy arrives (retention.ts). */
export const JOIN_HORIZON_MS = 7 * 24 * 3_600_000;
/**
 * At most this many predictions are kept for the label join (about 70 bytes each with a
 * random 36-character id, its index entry and its share of the batch's block; a 5-minute
 * benchmark held 1.45 GB of the object's 10 GB at the cap): past it the oldest batches go
 * first, even inside the horizon, and their actuals will come back unmatched.
 */
export const MAX_JOIN_PREDICTIONS = 20_000_000;
const RATE_SPAN_MS = 10_000;
interface BaselineMeta {
  source: "upload" | "first_events";
  frozenAt: number;
}

const EMPTY_TOTALS: Totals = { events: 0, batches: 0, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: null, lateEvents: 0, rejectedEvents: 0 };

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  return JSON.parse(text) as T;
}

/** When stored batches were last counted, and how long the oldest of them had waited since its ingest. */
export interface Freshness {
  countedAt: number;
  ingestToCountMs: number;
}

export interface TickResult {
  /** Events and actuals counted since the previous tick. */
  changed: boolean;
  windows: WindowView[];
}

export class Monitor {
  readonly store: MonitorStore;
  identity: MonitorIdentity | null;
  features: FeatureSpec[];
  profile: Profile | null;
  baseline: BaselineMeta | null;
  totals: Totals;
  buckets: Buckets;
  tickCount = 0;
  /** Null until this object counts a batch (memory only: a restarted object reports none until its next one). */
  freshness: Freshness | null = null;
  #recent: { t: number; n: number }[] = [];
  #changed = false;
  #lastPrune = 0;
  /** The live multivariate scores and the rows they compare (joint-scores.ts). */
  readonly joint: JointScores;
  /** Embedding features' reference and recent vectors, and their latest drift (embedding-rows.ts). */
  embeddings: EmbeddingRows;
  /** What each outcome is worth (PUT …/value-matrix); null until set. */
  valueMatrix: ValueMatrix | null;
  /** The baseline's own labelled predictions, for value_vs_baseline (value.ts); null for an uploaded baseline. */
  #referencePerf: PerfState | null;
  /** The last join location (prediction) that belongs to the first-events baseline. */
  #referenceCutoff: number | null;
  /** Buckets changed since the last event-time series points were taken (series.ts). */
  readonly series: SeriesTracker;
  /** How long each store here keeps its records (the org's policy, pushed by the Worker; retention.ts). */
  retention: MonitorRetention;
  /** Per-segment windows (segment-buckets.ts) and their scored views (segment-views.ts). */
  segments: SegmentBuckets;
  readonly segmentViews = new SegmentViews();
  /** A sharded version's coordinator: windows and volume read every shard's buckets merged (shard-merge.ts). */
  merged: ShardMerge | null = null;
  /** A sharded version's segment roles (segment-buckets.ts `remote`, `following`); kept here so a rebuilt SegmentBuckets has them. */
  #segmentShards: { copies: SegmentShardCopies | null; following: boolean } = { copies: null, following: false };

  constructor(store: MonitorStore, now = Date.now()) {
    this.store = store;
    this.identity = parseJson<MonitorIdentity | null>(store.getMeta("identity"), null);
    this.features = parseJson<FeatureSpec[]>(store.getMeta("features"), []);
    const profileText = store.getMeta("profile");
    this.profile = profileText === null ? null : readProfile(profileText);
    this.baseline = parseJson<BaselineMeta | null>(store.getMeta("baseline"), null);
    this.totals = { ...EMPTY_TOTALS, ...parseJson<Partial<Totals>>(store.getMeta("totals"), {}) };
    this.retention = loadRetention(store);
    this.buckets = new Buckets(this.profile);
    this.buckets.storeHoursMs = hoursHorizonMs(this.retention);
    this.buckets.load(store, now);
    this.segments = this.#loadSegments(now);
    this.joint = new JointScores(store);
    this.embeddings = new EmbeddingRows(store);
    this.valueMatrix = parseJson<ValueMatrix | null>(store.getMeta(VALUE_MATRIX_KEY), null);
    this.series = new SeriesTracker(parseJson<number[]>(store.getMeta(SERIES_PENDING_KEY), []));
    this.#referenceCutoff = parseJson<number | null>(store.getMeta(REFERENCE_CUTOFF_KEY), null);
    this.#referencePerf = this.#referenceCutoff === null ? null : PerfState.fromJSON(parseJson<unknown>(store.getMeta(REFERENCE_PERF_KEY), null));
  }

  #loadSegments(now: number): SegmentBuckets {
    const segments = new SegmentBuckets(this.store, this.profile, now);
    segments.remote = this.#segmentShards.copies;
    segments.following = this.#segmentShards.following;
    return segments;
  }

  /**
   * A sharded version (issue 23): a coordinator's segment windows and ranking read its
   * shards' copies too; a shard follows its coordinator's tracked set.
   */
  useSegmentShards(copies: SegmentShardCopies | null, following: boolean): void {
    this.#segmentShards = { copies, following };
    this.segments.remote = copies;
    this.segments.following = following;
  }

  /** A shard, before its pull reply: takes the coordinator's set (`known`: shard-log.ts) and rolls every slot to now. */
  followSegments(set: readonly TrackedSegment[] | undefined, known: (key: string) => boolean, now: number): void {
    this.store.transaction(() => {
      if (set) this.segments.follow(set, known, now);
      this.segments.advanceAll(now);
      this.segments.persist();
    });
  }

  /** A coordinator: one shard's segment part (segment-shard-copies.ts); `andThen` stores where it is in the shard's rows, in the same transaction. */
  applyShardSegments(shard: number, part: SegmentPullPart, full: boolean, counted: boolean, now: number, andThen: () => void = () => undefined): void {
    const copies = this.#segmentShards.copies;
    if (!copies) return;
    this.store.transaction(() => {
      this.segments.adoptShardSegments(part.tracked, now);
      this.segments.invalidate(copies.apply(shard, part, full, counted, (key) => this.segments.slots.has(key)));
      this.segments.persist();
      andThen();
    });
  }

  /** Sets (or with null removes) the value matrix; windows carry values from the next tick. */
  setValueMatrix(matrix: ValueMatrix | null): void {
    if (matrix === null) this.store.deleteMeta(VALUE_MATRIX_KEY);
    else this.store.setMeta(VALUE_MATRIX_KEY, JSON.stringify(matrix));
    this.valueMatrix = matrix;
    this.#changed = true;
  }

  /**
   * The prediction labels this version is known to produce: the baseline's prediction
   * categories and every label seen in a joined actual or prediction of the live buckets.
   */
  predictionLabels(): string[] {
    const labels = new Set<string>();
    const prediction = this.profile?.prediction;
    if (prediction?.kind === "categorical") for (const v of prediction.categories.values) labels.add(v);
    for (const slots of [this.buckets.minutes, this.buckets.hours]) {
      for (const slot of slots.values()) for (const [a, p] of slot.perf.confusion?.toJSON().cells ?? []) labels.add(a).add(p);
    }
    return [...labels].sort();
  }

  /**
   * The reference performance restarts: for a first-events baseline, the predictions at join
   * locations up to `cutoff` (all stored so far), starting from the labels they already
   * have; for an upload, none.
   */
  #resetReference(cutoff: number | null): void {
    this.#referenceCutoff = cutoff;
    if (cutoff === null) {
      this.#referencePerf = null;
      this.store.deleteMeta(REFERENCE_CUTOFF_KEY);
      this.store.deleteMeta(REFERENCE_PERF_KEY);
      return;
    }
    // Every label joined so far is a baseline prediction's. An hour's roll-up holds all of its
    // minutes' labels, so an hour is read from its roll-up when it has one, else from its minutes.
    const perf = new PerfState();
    for (const slot of this.buckets.hours.values()) perf.merge(slot.perf);
    for (const [m, slot] of this.buckets.minutes) if (!this.buckets.hours.has(hourOf(m))) perf.merge(slot.perf);
    this.#referencePerf = perf;
    this.store.setMeta(REFERENCE_CUTOFF_KEY, JSON.stringify(cutoff));
    this.store.setMeta(REFERENCE_PERF_KEY, JSON.stringify(perf.toJSON()));
  }

  /** The event-time points of the buckets that changed since the last call (series.ts). */
  takeSeries(now = Date.now()): SeriesPoint[] {
    // A sharded version's coordinator: the points carry every shard's rows (shard-merge.ts).
    return this.series.take(this.viewBuckets(now), this.profile);
  }

  /** Stores which minutes still owe points; inside the transaction that touched them, or once their points are in the outbox. */
  saveSeries(): void {
    const changed = this.series.changes();
    if (changed !== null) this.store.setMeta(SERIES_PENDING_KEY, changed);
  }

  get baselineTarget(): number {
    return Number(this.store.getMeta("baseline_target") ?? AUTO_BASELINE_EVENTS);
  }

  set baselineTarget(n: number) {
    this.store.setMeta("baseline_target", String(n));
  }

  #learn(identity: MonitorIdentity, features?: FeatureSpec[], segmentTopK?: number): void {
    if (features) this.segments.configure({ topK: segmentTopK ?? DEFAULT_TOP_K, keyFeatures: features.filter((f) => f.segment === true).map((f) => f.name) });
    if (JSON.stringify(identity) !== JSON.stringify(this.identity)) {
      this.identity = identity;
      this.store.setMeta("identity", JSON.stringify(identity));
    }
    if (features && JSON.stringify(features) !== JSON.stringify(this.features)) {
      this.features = features;
      this.store.setMeta("features", JSON.stringify(features));
    }
  }

  /**
   * Stores a batch durably (or recognises a retry); counting happens on the next tick.
   * A batch with numerical PII features is counted now instead, in the transaction that
   * records its id, so its payload is never stored (pii.ts).
   */
  ingest(call: IngestCall, now = Date.now()): IngestResult {
    if (piiNumerical(call.features).size > 0) {
      const seen = this.store.dedupe.find(call.batchId);
      if (seen) return this.#duplicate(call, seen);
      this.fold(now, call);
      return { duplicate: false, accepted: call.count };
    }
    // The insert is the dedupe check (a retry writes no row): one statement per batch, not two.
    const stored = this.store.transaction(() => {
      if (!this.store.insertBatch(call.batchId, call.receivedAt, call.count, call.events, call.countsBatch !== false)) return false;
      this.#learn(call.identity, call.features, call.segmentTopK);
      return true;
    });
    // A retry: its first arrival's row answers.
    if (!stored) return this.#duplicate(call, this.store.dedupe.find(call.batchId)!);
    // Committed: the next tick folds it from memory instead of reading the blob back.
    this.store.holdPayload(call.batchId, call.events);
    return { duplicate: false, accepted: call.count };
  }

  /** The reply to a batch id seen before: what its first arrival accepted, and when. */
  #duplicate(call: IngestCall, seen: SeenBatch): IngestResult {
    if (call.countsBatch !== false) this.totals.duplicateBatches++;
    return { duplicate: true, accepted: seen.accepted, firstSeenAt: seen.received_at };
  }

  /** Counts events the Worker refused on validation: they never reach storage, only this total. */
  countRejected(identity: MonitorIdentity, count: number): void {
    this.store.transaction(() => {
      this.#learn(identity);
      this.totals.rejectedEvents += count;
      this.store.setMeta("totals", JSON.stringify(this.totals));
    });
  }

  /**
   * Counts every stored batch not yet counted, then `arriving` (a batch whose id is
   * recorded here without its payload: pii.ts). Returns the number of events folded.
   */
  fold(now: number, arriving?: IngestCall): number {
    const pending: (Omit<PendingBatch, "payload"> & { payload: PendingBatch["payload"] | Uint8Array })[] = this.store.pendingBatches();
    if (arriving) pending.push({ batch_id: arriving.batchId, received_at: arriving.receivedAt, payload: arriving.events, countsBatch: arriving.countsBatch !== false });
    if (pending.length === 0) return 0;
    let folded = 0;
    let oldestReceivedAt = now;
    // The share of rows the multivariate ring keeps: all of them until the recent rate
    // would overfill it within one recompute period (joint-rows.ts).
    const perPeriod = this.eventRate(now) * (JOINT_EVERY_MS / 1000);
    const keep = perPeriod > JOINT_ROWS ? JOINT_ROWS / perPeriod : 1;
    try {
      this.store.transaction(() => {
        if (arriving) {
          this.#learn(arriving.identity, arriving.features, arriving.segmentTopK);
          this.store.insertBatch(arriving.batchId, arriving.receivedAt, arriving.count, null, arriving.countsBatch !== false);
        }
        const pii = piiNumerical(this.features);
        for (const stored of pending) {
          const batch = decodeBatch(stored.payload, this.features);
          const minutes = this.#count(batch, stored.received_at, now);
          const segmentKeys = this.segments.keysOf(batch);
          if (segmentKeys) this.segments.count(batch, segmentKeys, now);
          // Row-level copies kept here never hold a numerical PII value.
          const kept = withoutValues(batch, pii);
          if (!this.profile) {
            // Held as stored; only a legacy JSON batch or one with PII blanked needs encoding.
            const blob = typeof stored.payload === "string" || kept !== batch ? encodeBatch(kept) : new Uint8Array(stored.payload);
            this.store.addReferenceRows(minuteOf(stored.received_at), batch.length, blob, stored.received_at);
          }
          this.store.join.append(batch, minutes, segmentKeys);
          if (this.profile) {
            this.joint.keep(kept, this.features, keep);
            this.embeddings.add(kept, keep);
          }
          this.totals.events += batch.length;
          if (stored.countsBatch) this.totals.batches++;
          this.totals.lastEventAt = Math.max(this.totals.lastEventAt ?? 0, stored.received_at);
          this.#recent.push({ t: stored.received_at, n: batch.length });
          oldestReceivedAt = Math.min(oldestReceivedAt, stored.received_at);
          folded += batch.length;
        }
        this.store.markAllFolded();
        if (!this.profile && this.store.referenceRowCount() >= this.baselineTarget) this.#freezeFirstEvents(now);
        this.buckets.persist(this.store);
        this.segments.persist();
        this.saveSeries();
        this.store.setMeta("totals", JSON.stringify(this.totals));
      });
    } catch (error) {
      // The transaction rolled back; rebuild memory from what is stored and retry next tick.
      this.#reload(now);
      throw error;
    }
    this.#changed = true;
    this.freshness = { countedAt: now, ingestToCountMs: Math.max(0, now - oldestReceivedAt) };
    return folded;
  }

  /**
   * Counts a batch into the buckets of its events' own timestamps (an event stamped in
   * the future by a fast clock counts at its arrival). Returns each row's bucket minute.
   * Without a baseline only volume and latency are counted; the features wait in
   * reference_rows until the first-events baseline is frozen.
   */
  #count(batch: EventColumns, receivedAt: number, now: number): Float64Array {
    const groups = groupByMinute(batch.timestamps, receivedAt);
    for (const group of groups.groups) {
      const targets = this.buckets.aggregatesFor(group.minute, now);
      if (targets.length === 0) this.totals.lateEvents += selectedCount(group.rows, batch.length);
      else this.series.touch(group.minute);
      for (const aggregate of targets) aggregate.add(batch, group.rows);
    }
    return groups.minutes;
  }

  /** The latest multivariate scores. */
  get multivariate(): MultivariateView | null {
    return this.joint.view;
  }

  #freezeFirstEvents(now: number): void {
    const held = this.store.referencePayloads().map((p) => ({ receivedAt: p.received_at, batch: decodeBatch(p.payload, this.features) }));
    const profile = profileFromBatches(held.map((h) => h.batch), this.features, now);
    const segmentProfiles = segmentProfilesFromBatches(held.map((h) => h.batch), (b) => this.segments.keysOf(b), this.features, now);
    this.#setProfile(profile, { source: "first_events", frozenAt: now }, segmentProfiles, now);
    this.joint.setReference(sampleBatches(held.map((h) => h.batch), this.features), "first_events", this.features);
    this.embeddings.reset(held.map((h) => h.batch));
    // Every prediction appended so far is one of the baseline's (the first-events baseline freezes all held events).
    this.#resetReference(this.store.join.next - 1);
    this.joint.addRecent(held.map((h) => h.batch), this.features);
    // The reference events are traffic too: count their features in their own minutes
    // (their events and latency were counted when they arrived).
    for (const h of held) {
      for (const group of groupByMinute(h.batch.timestamps, h.receivedAt).groups) {
        for (const aggregate of this.buckets.aggregatesFor(group.minute, now)) aggregate.addFeatures(h.batch, group.rows);
        this.series.touch(group.minute);
      }
    }
    this.store.clearReferenceRows();
  }

  #setProfile(profile: Profile, meta: BaselineMeta, segmentProfiles: ReadonlyMap<string, Profile>, now: number): void {
    this.profile = profile;
    this.baseline = meta;
    this.buckets.setProfile(profile);
    this.segments.setProfiles(profile, segmentProfiles, now);
    this.store.setMeta("profile", JSON.stringify(profile));
    this.store.setMeta("baseline", JSON.stringify(meta));
    this.#changed = true;
  }

  /**
   * Replaces the baseline with an uploaded profile; live feature windows restart on its
   * bins. `rows`: a sample of the baseline's own rows for the multivariate scores; without
   * it the first rows counted from now on become their reference.
   */
  setBaseline(profileJson: unknown, now: number, rows?: JointColumns, segmentProfiles: Record<string, unknown> = {}): BaselineInfo {
    const profile = readProfile(profileJson);
    // Per-segment baselines (the upload's `segment` column, segment-baselines.ts), validated before anything changes.
    const segments = new Map(Object.entries(segmentProfiles).map(([key, p]) => [key, readProfile(p)]));
    this.store.transaction(() => {
      this.#setProfile(profile, { source: "upload", frozenAt: now }, segments, now);
      this.joint.setReference(rows !== undefined && jointRowCount(rows) > 0 ? rows : null, "upload", this.features);
      this.embeddings.reset(null);
      this.#resetReference(null);
      this.store.clearReferenceRows();
      this.buckets.persist(this.store);
      this.segments.persist();
    });
    return this.baselineInfo();
  }

  #reload(now: number): void {
    this.store.join.reload();
    const profileText = this.store.getMeta("profile");
    this.profile = profileText === null ? null : readProfile(profileText);
    this.totals = { ...EMPTY_TOTALS, ...parseJson<Partial<Totals>>(this.store.getMeta("totals"), {}) };
    this.buckets = new Buckets(this.profile);
    this.buckets.storeHoursMs = hoursHorizonMs(this.retention);
    this.buckets.load(this.store, now);
    this.segments = this.#loadSegments(now);
    this.joint.reload();
    this.embeddings = new EmbeddingRows(this.store);
  }

  /** Joins actuals to stored predictions; durable when it returns. */
  actuals(call: ActualsCall, now: number): ActualsResult {
    this.fold(now); // a prediction still waiting in a batch must be joinable
    const result: ActualsResult = { matched: 0, unmatched: 0, alreadyLabeled: 0, unmatchedIds: [] };
    const predictionKind = call.identity.predictionKind;
    this.store.transaction(() => {
      this.#learn(call.identity);
      const found = this.store.join.find(call.actuals.map((a) => a.prediction_id));
      const labeledNow = new Set<number>();
      let referenceChanged = false;
      for (const a of call.actuals) {
        const p = found.get(a.prediction_id);
        if (!p) {
          if (call.deferUnmatched) {
            (result.deferred ??= []).push(a.prediction_id);
            continue;
          }
          result.unmatched++;
          if (result.unmatchedIds.length < 100) result.unmatchedIds.push(a.prediction_id);
          continue;
        }
        if (p.labeled || labeledNow.has(p.loc)) {
          result.alreadyLabeled++;
          continue;
        }
        const prediction = p.prediction as Label;
        const score = p.score as number | Record<string, number> | null;
        const task = taskOf(predictionKind, prediction, a.actual);
        for (const perf of this.buckets.perfFor(p.minute)) perf.add(task, prediction, a.actual, score ?? undefined);
        if (p.segments) for (const perf of this.segments.perfFor(p.segments, p.minute, now)) perf.add(task, prediction, a.actual, score ?? undefined);
        this.series.touch(p.minute);
        if (this.#referencePerf !== null && this.#referenceCutoff !== null && p.loc <= this.#referenceCutoff) {
          this.#referencePerf.add(task, prediction, a.actual, score ?? undefined);
          referenceChanged = true;
        }
        this.store.join.markLabeled(p.loc, a.subject_id ?? null);
        labeledNow.add(p.loc);
        result.matched++;
      }
      if (referenceChanged && this.#referencePerf !== null) this.store.setMeta(REFERENCE_PERF_KEY, JSON.stringify(this.#referencePerf.toJSON()));
      this.saveSeries();
      this.totals.actuals += result.matched;
      this.totals.unmatchedActuals += result.unmatched;
      this.buckets.persist(this.store);
      this.segments.persist();
      this.store.setMeta("totals", JSON.stringify(this.totals));
    });
    if (result.matched > 0) this.#changed = true;
    return result;
  }

  /**
   * Erases a data subject's (or listed predictions') rows, durably when it returns
   * (erasure.ts). Stored batches are counted first so none can replay an erased row.
   */
  erase(call: ErasureCall, now: number): ErasureResult {
    this.fold(now);
    try {
      return this.store.transaction(() => eraseRows(this.store.join, this.store.erasures, this.features, call, now));
    } catch (error) {
      this.store.join.reload();
      throw error;
    }
  }

  /**
   * Keeps `policy` (the alarm's pruning follows it from now on) and applies it to every
   * store at once (retention.ts), durably when it returns. Stored batches are counted
   * first, so their predictions are judged by the same horizon.
   */
  applyRetention(policy: MonitorRetention, now: number): RetentionRemoved {
    this.fold(now);
    try {
      return this.store.transaction(() => {
        saveRetention(this.store, policy);
        this.retention = policy;
        this.buckets.storeHoursMs = hoursHorizonMs(policy);
        return applyRetention(this.store, policy, now);
      });
    } catch (error) {
      this.store.join.reload();
      this.retention = loadRetention(this.store);
      this.buckets.storeHoursMs = hoursHorizonMs(this.retention);
      throw error;
    }
  }

  /** One alarm step: count, roll, prune, score (`score` false: a shard, whose coordinator scores). */
  tick(now: number, score = true): TickResult {
    const folded = this.fold(now);
    try {
      this.#tickStores(now, folded);
    } catch (error) {
      // Rolled back: the join indexes' tails in memory may have moved or dropped what SQLite kept.
      this.store.join.reload();
      throw error;
    }
    // A shard's segments are scored by its coordinator, merged.
    if (score) this.segmentViews.refresh(this.segments, now);
    if (this.joint.score(now, this.profile)) this.#changed = true;
    if (this.embeddings.score(now)) this.#changed = true;
    this.tickCount++;
    const changed = this.#changed;
    this.#changed = false;
    return { changed, windows: score ? this.windows(now) : [] };
  }

  /** A tick's roll, prune and index upkeep, in one transaction. */
  #tickStores(now: number, folded: number): void {
    this.store.transaction(() => {
      this.buckets.roll(now, this.store);
      if (now - this.#lastPrune >= MINUTE) {
        this.#lastPrune = now;
        this.store.dedupe.prune(now);
        this.store.join.prune(minuteOf(now - joinHorizonMs(this.retention)));
        this.store.pruneReferenceRows(now - joinHorizonMs(this.retention));
        this.segments.roll(now);
      }
      // Every tick: at full load a minute brings millions of predictions past the cap,
      // and dropping them all at once would stall the object for seconds.
      this.store.join.cap(MAX_JOIN_PREDICTIONS);
      // Index entries move to SQLite in bulk under load; on a quiet tick, whatever waits.
      this.store.join.index.step(folded === 0);
      this.store.join.subjects.step(folded === 0);
      this.buckets.persist(this.store);
      this.segments.persist();
    });
  }

  /** Recomputes the multivariate scores now, whatever their age (tests and on-demand views). */
  scoreJointNow(now: number): MultivariateView | null {
    if (this.joint.score(now, this.profile, true)) this.#changed = true;
    this.embeddings.score(now, true);
    return this.multivariate;
  }

  /** The buckets windows are read from: this object's, or with shards, all of theirs merged. */
  viewBuckets(now: number): Buckets {
    return this.merged?.refresh(this.buckets, this.profile, now) ?? this.buckets;
  }

  windows(now: number): WindowView[] {
    return this.viewBuckets(now).windows(now).map((w) => ({
      ...windowView(w.name, w.from, now, w.aggregate, w.perf, this.profile),
      ...windowValue(w.perf, this.valueMatrix, this.#referencePerf),
    }));
  }

  /** One tracked segment's windows (or "other"'s), scored now; null for a segment not tracked. */
  segmentWindows(key: string, now: number): WindowView[] | null {
    return this.segmentViews.score(this.segments, key, now);
  }

  /** Segment windows for the outbox, at most once a minute (segment-views.ts). */
  takeSegmentHistory(now: number): { key: string; windows: WindowView[] }[] {
    return this.segmentViews.takeHistory(this.segments, now);
  }

  /** The sockets' per-segment summary (segment-views.ts). */
  segmentSummary(): SegmentsView | null {
    return this.segmentViews.summary(this.segments, (this.profile?.features ?? []).map((f) => f.name));
  }

  volume(now: number, span?: number): VolumePoint[] {
    return this.viewBuckets(now).volume(now, span);
  }

  eventRate(now: number): number {
    this.#recent = this.#recent.filter((r) => r.t > now - RATE_SPAN_MS);
    let n = 0;
    for (const r of this.#recent) n += r.n;
    return n / (RATE_SPAN_MS / 1000);
  }

  baselineInfo(): BaselineInfo {
    const features = (this.profile?.features ?? this.features).map((f) => ({ name: f.name, kind: f.kind }));
    if (this.profile && this.baseline) {
      return { status: "ready", source: this.baseline.source, rows: this.profile.rows, target: this.profile.rows, frozenAt: this.baseline.frozenAt, features };
    }
    return { status: "collecting", source: "first_events", rows: this.store.referenceRowCount(), target: this.baselineTarget, frozenAt: null, features };
  }

  /** Whether traffic arrived recently enough that the alarm should keep its fast pace. */
  isActive(now: number, idleAfterMs: number): boolean {
    return this.store.hasPendingBatches() || (this.totals.lastEventAt ?? 0) > now - idleAfterMs;
  }
}
