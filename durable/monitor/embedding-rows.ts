// Live embedding drift (issue 19, docs/ml-drift.md). An embedding feature arrives in each
// batch as vectors the Worker has already projected to at most 64 components
// (stats/embeddings/hashed-projection.ts), so what the object keeps per feature is bounded
// whatever the schema's dimension:
//
// - the reference: up to EMBEDDING_ROWS vectors of the baseline: the first-events
//   baseline's own held events, or, for an uploaded baseline (a profile carries no
//   vectors), the first EMBEDDING_ROWS vectors counted after it was set. Stored in SQLite
//   once complete; a restart during the capture starts it again.
// - the current rows: the most recent EMBEDDING_ROWS vectors, in memory, kept with the
//   same thinning probability as the multivariate rows (joint-rows.ts).
//
// Memory: 2 × EMBEDDING_ROWS × k × 4 bytes per feature = 1 MiB at k = 64, and at most
// 8 embedding features per version (workers/registry/feature-schema.ts): 8 MiB.
//
// Scores, recomputed with the multivariate ones (every 30 s while traffic flows), on the
// projected vectors with stats/embeddings: the domain classifier (`model`, AUC with its
// DeLong interval; the verdict), the euclidean distance between mean vectors with the
// bootstrap threshold (`distance`), and the share of components that drift (`ratio`).
// Only vectors are kept: no prediction id, time or subject (docs/compliance.md).

import { distanceDrift, modelDrift, ratioDrift } from "../../stats/embeddings/embedding-drift.ts";
import { MultivariateInputError, mulberry32 } from "../../stats/multivariate/rows.ts";
import type { EmbeddingDriftView } from "../protocol.ts";
import type { EmbeddingColumn, EventColumns } from "./event-columns.ts";
import type { MonitorStore, StoredEmbeddingReference } from "./storage.ts";

export const EMBEDDING_ROWS = 2_000;
/** The scores are recomputed at most this often while vectors arrive (as the multivariate ones). */
export const EMBEDDING_EVERY_MS = 30_000;
/** Vectors each side needs before the scores mean anything. */
export const EMBEDDING_MIN_ROWS = 200;

/** A fixed-capacity list of k-wide vectors: appends until full, then (as a ring) replaces the oldest. */
class Vectors {
  readonly k: number;
  readonly dimension: number;
  readonly data: Float32Array;
  size = 0;
  #next = 0;

  constructor(dimension: number, k: number, capacity = EMBEDDING_ROWS) {
    this.dimension = dimension;
    this.k = k;
    this.data = new Float32Array(capacity * k);
  }

  get capacity(): number {
    return this.data.length / this.k;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(source: Float32Array, at: number): void {
    this.data.set(source.subarray(at, at + this.k), this.#next * this.k);
    this.#next = (this.#next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  rows(): Float32Array[] {
    return Array.from({ length: this.size }, (_, i) => this.data.subarray(i * this.k, i * this.k + this.k));
  }

  static of(stored: StoredEmbeddingReference): Vectors {
    const v = new Vectors(stored.dimension, stored.k, Math.max(stored.rows, 1));
    v.data.set(stored.vectors.subarray(0, stored.rows * stored.k));
    v.size = stored.rows;
    return v;
  }
}

/** Vectors of one projection: a changed dimension projects differently even at the same k. */
const sameSpace = (a: { dimension: number; k: number }, b: { dimension: number; k: number }) => a.dimension === b.dimension && a.k === b.k;

/** Row r's vector is present (the Worker writes NaN for a missing one). */
const present = (e: EmbeddingColumn, r: number) => !Number.isNaN(e.values[r * e.k] as number);

export class EmbeddingRows {
  readonly #store: MonitorStore;
  readonly #reference = new Map<string, { vectors: Vectors; source: StoredEmbeddingReference["source"] }>();
  /** Reference samples still being captured after an uploaded baseline. */
  readonly #capture = new Map<string, Vectors>();
  readonly #recent = new Map<string, Vectors>();
  readonly #random = mulberry32(0xe3bd);
  #changed = false;
  #scoredAt = Number.NEGATIVE_INFINITY;
  views: EmbeddingDriftView[] = [];

  constructor(store: MonitorStore) {
    this.#store = store;
    for (const r of store.loadEmbeddingReferences()) this.#reference.set(r.feature, { vectors: Vectors.of(r), source: r.source });
  }

  /** A new baseline: references and scores start over (`held`: the first-events baseline's own batches). */
  reset(held: readonly EventColumns[] | null): void {
    this.#reference.clear();
    this.#capture.clear();
    this.#store.clearEmbeddingReferences();
    this.views = [];
    if (held === null) return;
    const sample = new Map<string, Vectors>();
    for (const batch of held) this.#append(batch, sample, 1);
    for (const [feature, vectors] of sample) this.#setReference(feature, vectors, "first_events");
  }

  /** A counted batch's vectors (after a baseline is set); `keep` thins the current rows (joint-rows.ts). */
  add(batch: EventColumns, keep: number): void {
    if (!batch.embeddings) return;
    this.#append(batch, this.#recent, keep);
    const capturing = batch.embeddings.filter((e) => {
      const reference = this.#reference.get(e.name);
      return reference === undefined || !sameSpace(reference.vectors, e);
    });
    if (capturing.length > 0) {
      this.#append({ ...batch, embeddings: capturing }, this.#capture, 1, true);
      for (const [feature, vectors] of this.#capture) {
        if (!vectors.full) continue;
        this.#setReference(feature, vectors, "after_baseline");
        this.#capture.delete(feature);
      }
    }
    this.#changed = true;
  }

  #append(batch: EventColumns, into: Map<string, Vectors>, keep: number, stopWhenFull = false): void {
    for (const e of batch.embeddings ?? []) {
      let vectors = into.get(e.name);
      if (vectors === undefined || !sameSpace(vectors, e)) into.set(e.name, (vectors = new Vectors(e.dimension, e.k)));
      for (let r = 0; r < batch.length; r++) {
        if (stopWhenFull && vectors.full) break;
        if (!present(e, r) || (keep < 1 && this.#random() >= keep)) continue;
        vectors.push(e.values, r * e.k);
      }
    }
  }

  #setReference(feature: string, vectors: Vectors, source: StoredEmbeddingReference["source"]): void {
    this.#reference.set(feature, { vectors, source });
    this.#store.saveEmbeddingReference({ feature, dimension: vectors.dimension, k: vectors.k, rows: vectors.size, source, vectors: vectors.data });
  }

  /** Recomputes every feature's scores when vectors arrived and the last run is EMBEDDING_EVERY_MS old (`force`: regardless). True when it ran. */
  score(now: number, force = false): boolean {
    if (!force && (!this.#changed || now - this.#scoredAt < EMBEDDING_EVERY_MS)) return false;
    this.#changed = false;
    this.#scoredAt = now;
    const views: EmbeddingDriftView[] = [];
    for (const [feature, { vectors: reference, source }] of this.#reference) {
      const current = this.#recent.get(feature);
      if (current === undefined || !sameSpace(current, reference) || reference.size < EMBEDDING_MIN_ROWS || current.size < EMBEDDING_MIN_ROWS) continue;
      try {
        views.push(scoreFeature(feature, reference, current, source, now));
      } catch (error) {
        // Vectors that cannot be told apart at all (say, all identical) keep the last scores.
        if (!(error instanceof MultivariateInputError || error instanceof RangeError)) throw error;
        const last = this.views.find((v) => v.feature === feature);
        if (last) views.push(last);
      }
    }
    this.views = views;
    return true;
  }
}

function scoreFeature(feature: string, reference: Vectors, current: Vectors, source: StoredEmbeddingReference["source"], now: number): EmbeddingDriftView {
  const ref = reference.rows();
  const cur = current.rows();
  const model = modelDrift(ref, cur, { seed: 0x5eed });
  const distance = distanceDrift(ref, cur, { distance: "euclidean", bootstrap: true });
  const ratio = ratioDrift(ref, cur);
  const ci95 = (model.details.ci95 as [number, number] | undefined) ?? [model.score, model.score];
  return {
    feature,
    dimension: reference.dimension,
    components: reference.k,
    drifted: model.drifted,
    methods: {
      model: { score: model.score, threshold: model.threshold, drifted: model.drifted, ci95 },
      distance: { score: distance.score, threshold: distance.threshold, drifted: distance.drifted, distance: "euclidean" },
      ratio: { score: ratio.score, threshold: ratio.threshold, drifted: ratio.drifted, drifted_components: (ratio.details.drifted_components as number | undefined) ?? 0 },
    },
    rows: { reference: reference.size, current: current.size },
    reference: source,
    computed_at: now,
  };
}
