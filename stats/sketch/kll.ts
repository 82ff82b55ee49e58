// KLL quantile sketch: Karnin, Lang & Liberty (2016), "Optimal Quantile Approximation
// in Streams", FOCS, following the compactor design of Apache DataSketches'
// KllDoublesSketch (levels of capacity max(8, k·(2/3)^depth), lazy compaction of
// the lowest full level, random odd/even offset per compaction).
import { generalCompress, halveDown, halveUp, levelCapacity, mergeSorted, totalCapacity } from "./kll-compaction.ts";
import { decodeKll, encodeKll, type KllState } from "./kll-format.ts";
import { bytesFromBase64, bytesToBase64 } from "./base64.ts";
import { RandomBits, nextDefaultSeed } from "./random-bits.ts";

export const KLL_DEFAULT_K = 200;
export const KLL_MIN_K = 8;
export const KLL_MAX_K = 65535;

export interface KllOptions {
  /** Seed for the compaction coin flips; by default drawn from a fixed module-level sequence. */
  seed?: number;
}

/**
 * Mergeable quantile sketch with a rank-error guarantee.
 *
 * Guarantee (DataSketches' empirical fit for this design, 99% confidence): for any
 * query, |estimated normalized rank − true normalized rank| ≤ ε with
 *   single-sided (rank, cdf, quantile):  ε = 2.296 / k^0.9723
 *   double-sided (pmf, differences of two ranks):  ε = 2.446 / k^0.9433
 * For the default k = 200 these give ε ≈ 1.33% single-sided and ≈ 1.65% double-sided
 * (the 1.65% often quoted for k = 200 is the pmf figure). The bound is independent
 * of n, survives merging in any order, and space grows only as O(k·log(n/k)).
 *
 * Non-finite values are rejected; callers count them separately (see moments.ts).
 * Merging requires equal k.
 */
export class KllSketch {
  readonly #k: number;
  #n = 0;
  #min = Number.NaN;
  #max = Number.NaN;
  #numLevels = 1;
  // levels[h]..levels[h+1] is level h inside items; levels[0] is also the free space.
  #levels: number[];
  #items: Float64Array;
  readonly #bits: RandomBits;
  #sorted: { items: Float64Array; cumWeights: Float64Array } | undefined;

  constructor(k: number = KLL_DEFAULT_K, options: KllOptions = {}) {
    if (!Number.isInteger(k) || k < KLL_MIN_K || k > KLL_MAX_K) {
      throw new Error(`k must be >= ${KLL_MIN_K} and <= ${KLL_MAX_K}: ${k}`);
    }
    this.#k = k;
    this.#bits = new RandomBits(options.seed ?? nextDefaultSeed());
    this.#items = new Float64Array(k);
    this.#levels = [k, k];
  }

  get n(): number { return this.#n; }
  get k(): number { return this.#k; }
  isEmpty(): boolean { return this.#n === 0; }
  min(): number { return this.#min; }
  max(): number { return this.#max; }
  /** Number of items kept (what the serialized size is proportional to). */
  get numRetained(): number { return this.#levels[this.#numLevels]! - this.#levels[0]!; }
  get numLevels(): number { return this.#numLevels; }

  update(x: number): void {
    if (!Number.isFinite(x)) throw new Error(`KllSketch.update: value must be finite, got ${x}`);
    if (this.#n === 0) {
      this.#min = x;
      this.#max = x;
    } else {
      if (x < this.#min) this.#min = x;
      if (x > this.#max) this.#max = x;
    }
    if (this.#levels[0] === 0) this.#compressWhileUpdating();
    const slot = this.#levels[0]! - 1;
    this.#levels[0] = slot;
    this.#items[slot] = x;
    this.#n++;
    this.#sorted = undefined;
  }

  /**
   * Adds `other` into this sketch. Like DataSketches' merge, levels are concatenated
   * level by level and then compacted bottom-up (generalCompress); unlike it, other's
   * level 0 joins the work buffer instead of being replayed through update(), which
   * made merging 1,440 small sketches about twice as fast with the same compactor.
   */
  merge(other: KllSketch): void {
    if (other.#k !== this.#k) throw new Error(`cannot merge KLL sketches with different k: ${this.#k} and ${other.#k}`);
    if (other.#n === 0) return;
    const src = other === this ? other.clone() : other;
    if (this.#n === 0) {
      this.#min = src.#min;
      this.#max = src.#max;
    } else {
      if (src.#min < this.#min) this.#min = src.#min;
      if (src.#max > this.#max) this.#max = src.#max;
    }
    this.#mergeLevels(src);
    this.#n += src.#n;
    this.#sorted = undefined;
  }

  clone(seed?: number): KllSketch {
    return KllSketch.#fromState(this.#state(), seed);
  }

  /** Normalized rank of x: fraction of the stream ≤ x (inclusive) or < x (exclusive). */
  rank(x: number, inclusive = true): number {
    if (this.#n === 0) throw new Error("KllSketch.rank: sketch is empty");
    if (Number.isNaN(x)) throw new Error("KllSketch.rank: x must not be NaN");
    const { items, cumWeights } = this.sortedView();
    const idx = inclusive ? upperBound(items, x) : lowerBound(items, x);
    return idx === 0 ? 0 : cumWeights[idx - 1]! / this.#n;
  }

  /** DataSketches getCDF: ranks (inclusive) at each split point, then 1. */
  cdf(splitPoints: readonly number[]): number[] {
    validateSplitPoints(splitPoints);
    const out = splitPoints.map((x) => this.rank(x, true));
    out.push(1);
    return out;
  }

  /**
   * Inclusive quantile (DataSketches' INCLUSIVE search): the smallest retained item
   * whose cumulative weight reaches ceil(q·n); q = 0 and q = 1 return the exact min and max.
   */
  quantile(q: number): number {
    if (this.#n === 0) throw new Error("KllSketch.quantile: sketch is empty");
    if (!(q >= 0 && q <= 1)) throw new Error(`KllSketch.quantile: q must be in [0, 1]: ${q}`);
    if (q === 0) return this.#min;
    if (q === 1) return this.#max;
    const { items, cumWeights } = this.sortedView();
    const target = Math.ceil(q * this.#n);
    let lo = 0;
    let hi = cumWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumWeights[mid]! >= target) hi = mid; else lo = mid + 1;
    }
    return items[lo]!;
  }

  quantiles(qs: readonly number[]): number[] {
    return qs.map((q) => this.quantile(q));
  }

  normalizedRankError(pmf = false): number {
    return kllNormalizedRankError(this.#k, pmf);
  }

  /** Retained items ascending with cumulative weights (the last equals n). Cached until the next change. */
  sortedView(): { items: Float64Array; cumWeights: Float64Array } {
    if (this.#sorted) return this.#sorted;
    const retained = this.numRetained;
    const keys = new Float64Array(retained);
    const weights = new Float64Array(retained);
    const order = new Uint32Array(retained);
    let pos = 0;
    for (let h = 0; h < this.#numLevels; h++) {
      const weight = 2 ** h;
      for (let i = this.#levels[h]!; i < this.#levels[h + 1]!; i++) {
        keys[pos] = this.#items[i]!;
        weights[pos] = weight;
        order[pos] = pos;
        pos++;
      }
    }
    order.sort((a, b) => keys[a]! - keys[b]!);
    const items = new Float64Array(retained);
    const cumWeights = new Float64Array(retained);
    let cum = 0;
    for (let i = 0; i < retained; i++) {
      const at = order[i]!;
      items[i] = keys[at]!;
      cum += weights[at]!;
      cumWeights[i] = cum;
    }
    this.#sorted = { items, cumWeights };
    return this.#sorted;
  }

  toBytes(): Uint8Array { return encodeKll(this.#state()); }
  static fromBytes(bytes: Uint8Array): KllSketch { return KllSketch.#fromState(decodeKll(bytes)); }
  toBase64(): string { return bytesToBase64(this.toBytes()); }
  static fromBase64(s: string): KllSketch { return KllSketch.fromBytes(bytesFromBase64(s)); }

  #state(): KllState {
    const base = this.#levels[0]!;
    return {
      k: this.#k, n: this.#n, min: this.#min, max: this.#max,
      levels: this.#levels.slice(0, this.#numLevels + 1).map((b) => b - base),
      items: this.#items.slice(base, this.#levels[this.#numLevels]!),
    };
  }

  static #fromState(state: KllState, seed?: number): KllSketch {
    const sketch = new KllSketch(state.k, seed === undefined ? {} : { seed });
    const numLevels = state.levels.length - 1;
    const retained = state.items.length;
    const capacity = Math.max(totalCapacity(state.k, numLevels), retained);
    const free = capacity - retained;
    sketch.#items = new Float64Array(capacity);
    sketch.#items.set(state.items, free);
    sketch.#levels = state.levels.map((b) => b + free);
    sketch.#numLevels = numLevels;
    sketch.#n = state.n;
    sketch.#min = state.min;
    sketch.#max = state.max;
    return sketch;
  }

  // DataSketches' compressWhileUpdatingSketch: compact the lowest level at or over
  // capacity, growing a new top level first when that level is the top one.
  #compressWhileUpdating(): void {
    const level = this.#findLevelToCompact();
    if (level === this.#numLevels - 1) this.#addEmptyTopLevel();
    const levels = this.#levels;
    const items = this.#items;
    const rawBeg = levels[level]!;
    const rawEnd = levels[level + 1]!;
    const popAbove = levels[level + 2]! - rawEnd;
    const rawPop = rawEnd - rawBeg;
    const oddPop = rawPop % 2 === 1;
    const adjBeg = oddPop ? rawBeg + 1 : rawBeg;
    const adjPop = oddPop ? rawPop - 1 : rawPop;
    const halfAdjPop = adjPop / 2;
    if (level === 0) items.subarray(adjBeg, adjBeg + adjPop).sort();
    if (popAbove === 0) {
      halveUp(items, adjBeg, adjPop, this.#bits);
    } else {
      halveDown(items, adjBeg, adjPop, this.#bits);
      mergeSorted(items, adjBeg, halfAdjPop, items, rawEnd, popAbove, items, adjBeg + halfAdjPop);
    }
    levels[level + 1] = levels[level + 1]! - halfAdjPop;
    if (oddPop) {
      levels[level] = levels[level + 1]! - 1;
      items[levels[level]!] = items[rawBeg]!;
    } else {
      levels[level] = levels[level + 1]!;
    }
    if (level > 0) {
      const start = levels[0]!;
      items.copyWithin(start + halfAdjPop, start, rawBeg);
      for (let h = 0; h < level; h++) levels[h] = levels[h]! + halfAdjPop;
    }
  }

  #findLevelToCompact(): number {
    for (let h = 0; ; h++) {
      const pop = this.#levels[h + 1]! - this.#levels[h]!;
      if (pop >= levelCapacity(this.#k, this.#numLevels, h)) return h;
    }
  }

  #addEmptyTopLevel(): void {
    const oldCapacity = this.#levels[this.#numLevels]!;
    const delta = levelCapacity(this.#k, this.#numLevels + 1, 0);
    const items = new Float64Array(oldCapacity + delta);
    items.set(this.#items.subarray(0, oldCapacity), delta);
    this.#items = items;
    this.#levels = this.#levels.map((b) => b + delta);
    this.#levels.push(oldCapacity + delta);
    this.#numLevels++;
  }

  // DataSketches' mergeHigherLevels, extended to level 0: concatenate level by level
  // (level 0 unsorted, higher levels merged in order), then generalCompress.
  #mergeLevels(other: KllSketch): void {
    const myLevels = this.#levels;
    const otherLevels = other.#levels;
    const provisional = Math.max(this.#numLevels, other.#numLevels);
    const work = new Float64Array(this.numRetained + other.numRetained);
    const workLevels: number[] = [0];
    for (let h = 0; h < provisional; h++) {
      const myPop = h < this.#numLevels ? myLevels[h + 1]! - myLevels[h]! : 0;
      const otherPop = h < other.#numLevels ? otherLevels[h + 1]! - otherLevels[h]! : 0;
      const at = workLevels[h]!;
      workLevels[h + 1] = at + myPop + otherPop;
      if (h > 0 && myPop > 0 && otherPop > 0) {
        mergeSorted(this.#items, myLevels[h]!, myPop, other.#items, otherLevels[h]!, otherPop, work, at);
        continue;
      }
      if (myPop > 0) work.set(this.#items.subarray(myLevels[h]!, myLevels[h]! + myPop), at);
      if (otherPop > 0) work.set(other.#items.subarray(otherLevels[h]!, otherLevels[h]! + otherPop), at + myPop);
    }
    const outLevels: number[] = [];
    const result = generalCompress(this.#k, provisional, work, workLevels, outLevels, this.#bits);
    const capacity = Math.max(result.capacity, result.retained);
    const free = capacity - result.retained;
    if (this.#items.length !== capacity) this.#items = new Float64Array(capacity);
    this.#items.set(work.subarray(0, result.retained), free);
    this.#levels = outLevels.slice(0, result.numLevels + 1).map((b) => b + free);
    this.#numLevels = result.numLevels;
  }
}

/** DataSketches' getNormalizedRankError(k, pmf): empirical fit of the 99%-confidence rank error. */
export function kllNormalizedRankError(k: number, pmf = false): number {
  return pmf ? 2.446 / k ** 0.9433 : 2.296 / k ** 0.9723;
}

function validateSplitPoints(points: readonly number[]): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!Number.isFinite(p)) throw new Error(`split points must be finite: ${p} at index ${i}`);
    if (i > 0 && !(p > points[i - 1]!)) throw new Error(`split points must be strictly increasing at index ${i}`);
  }
}

/** First index with items[i] > x. */
function upperBound(items: Float64Array, x: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! <= x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** First index with items[i] >= x. */
function lowerBound(items: Float64Array, x: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
