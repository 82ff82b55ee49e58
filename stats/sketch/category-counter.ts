// Category frequencies for one categorical feature: exact counts up to `capacity`
// distinct categories, then a SpaceSaving summary with `capacity` counters.
//
// SpaceSaving: Metwally, Agrawal & El Abbadi (2005), "Efficient Computation of Frequent
// and Top-k Elements in Data Streams", ICDT. A new category takes over the smallest
// counter c_min: count = c_min + w, error = c_min.
// Merge: sum the counters, substituting an absent category's upper bound (the other
// summary's floor), then keep the `capacity` largest; the combine step of Agarwal et al.
// (2012), "Mergeable Summaries", PODS, written for SpaceSaving as in Cafaro, Pulimeno
// & Tempesta (2016), "A parallel space saving algorithm for frequent items".
//
// Guarantee, single stream or any tree of merges, with n the total weight and m the capacity:
//   count − error ≤ true count ≤ count                for a tracked category;
//   true count ≤ floor ≤ n/m                          for an untracked one;
//   count − true count ≤ error ≤ floor ≤ n/m          so every category above n/m is tracked.
// Proof sketch: the invariant Σ counts + (m − size)·floor ≤ n survives updates, evictions
// and merges, and every count is ≥ floor, so m·floor ≤ n.
import { CounterHeap } from "./counter-heap.ts";

export const CATEGORY_COUNTER_VERSION = 1;
export const DEFAULT_CATEGORY_CAPACITY = 1000;
const MAX_CAPACITY = 1_000_000;

export interface CategoryCount {
  category: string;
  /** Upper bound on the true count (exact while isExact). */
  count: number;
  /** count − error is a lower bound on the true count; 0 while exact. */
  error: number;
}

export interface CategoryCounterJSON {
  version: number;
  capacity: number;
  n: number;
  exact: boolean;
  floor: number;
  /** [category, count] or [category, count, error] when error > 0; count descending. */
  entries: ([string, number] | [string, number, number])[];
}

export class CategoryCounter {
  readonly capacity: number;
  #n = 0;
  #exact: Map<string, number> | undefined = new Map();
  #heap: CounterHeap | undefined;
  // Largest count an untracked category can have (0 while exact).
  #floor = 0;

  constructor(capacity: number = DEFAULT_CATEGORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new Error(`capacity must be >= 1 and <= ${MAX_CAPACITY}: ${capacity}`);
    }
    this.capacity = capacity;
  }

  get n(): number { return this.#n; }
  get isExact(): boolean { return this.#exact !== undefined; }
  /** Number of categories tracked. */
  get size(): number { return this.#exact ? this.#exact.size : this.#heap!.size; }
  /** Upper bound on an untracked category's count, and on any count's overestimate; ≤ n/capacity. */
  get maxError(): number { return this.#floor; }

  /** Weight not attributed to a tracked category for certain: n − Σ (count − error). 0 while exact. */
  get otherCount(): number {
    if (this.#exact) return 0;
    const heap = this.#heap!;
    let attributed = 0;
    for (let s = 0; s < heap.size; s++) attributed += heap.counts[s]! - heap.errors[s]!;
    return Math.max(0, this.#n - attributed);
  }

  update(category: string, weight = 1): void {
    if (typeof category !== "string") throw new Error(`category must be a string: ${String(category)}`);
    if (!Number.isSafeInteger(weight) || weight < 1) throw new Error(`weight must be a positive integer: ${weight}`);
    this.#n += weight;
    const exact = this.#exact;
    if (exact) {
      const current = exact.get(category);
      if (current !== undefined) { exact.set(category, current + weight); return; }
      if (exact.size < this.capacity) { exact.set(category, weight); return; }
      this.#switchToSummary();
    }
    const heap = this.#heap!;
    const slot = heap.slotOf(category);
    if (slot !== undefined) heap.increment(slot, weight);
    else if (heap.size < heap.capacity) heap.add(category, this.#floor + weight, this.#floor);
    else this.#floor = Math.max(this.#floor, heap.replaceMin(category, weight));
  }

  /** Estimated (upper-bound) count; 0 for an untracked category, whose true count is ≤ maxError. */
  count(category: string): number {
    if (this.#exact) return this.#exact.get(category) ?? 0;
    const slot = this.#heap!.slotOf(category);
    return slot === undefined ? 0 : this.#heap!.counts[slot]!;
  }

  /** Bounds on the true count of any category, tracked or not. */
  bounds(category: string): { lower: number; upper: number } {
    if (this.#exact) { const c = this.#exact.get(category) ?? 0; return { lower: c, upper: c }; }
    const heap = this.#heap!;
    const slot = heap.slotOf(category);
    if (slot === undefined) return { lower: 0, upper: this.#floor };
    return { lower: heap.counts[slot]! - heap.errors[slot]!, upper: heap.counts[slot]! };
  }

  /** Tracked categories, count descending, ties by category. */
  entries(): CategoryCount[] {
    const out: CategoryCount[] = [];
    if (this.#exact) {
      for (const [category, count] of this.#exact) out.push({ category, count, error: 0 });
    } else {
      const heap = this.#heap!;
      for (let s = 0; s < heap.size; s++) out.push({ category: heap.keys[s]!, count: heap.counts[s]!, error: heap.errors[s]! });
    }
    return out.sort(byCountThenName);
  }

  counts(): Map<string, number> {
    return new Map(this.entries().map((e) => [e.category, e.count]));
  }

  topK(k: number): CategoryCount[] {
    return this.entries().slice(0, Math.max(0, k));
  }

  merge(other: CategoryCounter): void {
    if (other.capacity !== this.capacity) throw new Error(`cannot merge category counters with different capacity: ${this.capacity} and ${other.capacity}`);
    if (other.#n === 0) return;
    const mine = this.entries();
    const theirs = other === this ? mine : other.entries();
    const n = this.#n + other.#n;
    const union = new Map<string, CategoryCount>();
    for (const e of mine) union.set(e.category, { category: e.category, count: e.count + other.#floor, error: e.error + other.#floor });
    for (const e of theirs) {
      const seen = union.get(e.category);
      if (seen) {
        seen.count += e.count - other.#floor;
        seen.error += e.error - other.#floor;
      } else {
        union.set(e.category, { category: e.category, count: e.count + this.#floor, error: e.error + this.#floor });
      }
    }
    const merged = [...union.values()].sort(byCountThenName);
    const floor = this.#floor + other.#floor;
    this.#n = n;
    if (floor === 0 && merged.length <= this.capacity) {
      this.#exact = new Map(merged.map((e) => [e.category, e.count]));
      this.#heap = undefined;
      this.#floor = 0;
      return;
    }
    const kept = merged.slice(0, this.capacity);
    const dropped = merged[this.capacity];
    this.#floor = Math.max(floor, dropped ? dropped.count : 0);
    this.#setSummary(kept);
  }

  toJSON(): CategoryCounterJSON {
    return {
      version: CATEGORY_COUNTER_VERSION, capacity: this.capacity, n: this.#n, exact: this.isExact, floor: this.#floor,
      entries: this.entries().map((e) => (e.error > 0 ? [e.category, e.count, e.error] : [e.category, e.count])),
    };
  }

  static fromJSON(value: unknown): CategoryCounter {
    if (typeof value !== "object" || value === null) throw new Error("category counter: expected an object");
    const v = value as Record<string, unknown>;
    if (v.version !== CATEGORY_COUNTER_VERSION) throw new Error(`unsupported category counter version ${String(v.version)}`);
    const out = new CategoryCounter(v.capacity as number);
    const n = v.n;
    const floor = v.floor;
    if (!Number.isSafeInteger(n) || (n as number) < 0) throw new Error(`category counter: n must be a non-negative integer: ${String(n)}`);
    if (!Number.isSafeInteger(floor) || (floor as number) < 0) throw new Error(`category counter: floor must be a non-negative integer: ${String(floor)}`);
    if (typeof v.exact !== "boolean") throw new Error("category counter: exact must be a boolean");
    if (!Array.isArray(v.entries)) throw new Error("category counter: entries must be an array");
    if (v.entries.length > out.capacity) throw new Error(`category counter: ${v.entries.length} entries exceed capacity ${out.capacity}`);
    const entries = v.entries.map((raw, i) => parseEntry(raw, i, floor as number));
    if (new Set(entries.map((e) => e.category)).size !== entries.length) throw new Error("category counter: duplicate category");
    const total = entries.reduce((a, e) => a + e.count, 0);
    out.#n = n as number;
    if (v.exact) {
      if (floor !== 0 || entries.some((e) => e.error > 0)) throw new Error("category counter: an exact counter has no floor or errors");
      if (total !== n) throw new Error(`category counter: exact counts sum to ${total}, not n = ${String(n)}`);
      out.#exact = new Map(entries.map((e) => [e.category, e.count]));
      return out;
    }
    out.#floor = floor as number;
    if (out.#floor * out.capacity > out.#n) throw new Error(`category counter: floor ${out.#floor} exceeds n/capacity`);
    out.#setSummary(entries);
    return out;
  }

  #switchToSummary(): void {
    const entries = [...this.#exact!].map(([category, count]) => ({ category, count, error: 0 }));
    this.#setSummary(entries);
  }

  #setSummary(entries: readonly CategoryCount[]): void {
    const heap = new CounterHeap(this.capacity);
    for (const e of entries) heap.add(e.category, e.count, e.error);
    this.#heap = heap;
    this.#exact = undefined;
  }
}

function byCountThenName(a: CategoryCount, b: CategoryCount): number {
  return b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0);
}

function parseEntry(raw: unknown, i: number, floor: number): CategoryCount {
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > 3) throw new Error(`category counter: entry ${i} must be [category, count, error?]`);
  const [category, count, error = 0] = raw as unknown[];
  if (typeof category !== "string") throw new Error(`category counter: entry ${i} category must be a string`);
  if (!Number.isSafeInteger(count) || (count as number) < 1) throw new Error(`category counter: entry ${i} count must be a positive integer`);
  if (!Number.isSafeInteger(error) || (error as number) < 0 || (error as number) > floor || (error as number) > (count as number)) {
    throw new Error(`category counter: entry ${i} error must be an integer in [0, min(floor, count)]`);
  }
  return { category, count: count as number, error: error as number };
}
