// Category frequencies for one categorical feature: exact counts up to `capacity`
// distinct categories, then a SpaceSaving summary with `capacity` counters.
//
// SpaceSaving: Metwally, Agrawal & El Abbadi (2005), "Efficient Computation of Frequent
// and Top-k Elements in Data Streams", ICDT. A new category takes over the smallest
// counter c_min: count = c_min + w, error = c_min.
// Merge: sum the counters, substituting an absent category's upper bound (the other
// summary's floor), then keep the `capacity` largest; the combine step of Agarwal et al.
// (2012), "Mergeable Summaries", PODS, written for SpaceSaving as in Cafaro, Pulimeno
// & Tempesta (2016), "A parallel space saving algorithm for frequent items and the
// Hurwitz zeta distribution", Information Sciences 329.
//
// Guarantee, single stream or any tree of merges, with n the total weight and m the capacity:
//   count − error ≤ true count ≤ count                for a tracked category;
//   true count ≤ floor ≤ n/m                          for an untracked one;
//   count − true count ≤ error ≤ floor ≤ n/m          so every category above n/m is tracked.
// Proof sketch: the invariant Σ counts + (m − size)·floor ≤ n survives updates, evictions
// and merges, and every count is ≥ floor, so m·floor ≤ n.
// A merge adds the other summary's floor to every counter of this one; that shift is
// kept as one offset (`base`) so a merge costs O(other's size · log m), not a rebuild.
import { CounterHeap } from "./counter-heap.ts";

export const CATEGORY_COUNTER_VERSION = 1;
export const DEFAULT_CATEGORY_CAPACITY = 1000;
const MAX_CAPACITY = 1_000_000;
const WHAT = "category counter";

export interface CategoryCount {
  category: string;
  /** Upper bound on the true count (exact while isExact). */
  count: number;
  /** count − error is a lower bound on the true count; 0 while exact. */
  error: number;
}

/** Columnar so that 1,000 counters stay small: category names dominate the size. */
export interface CategoryCounterJSON {
  version: number;
  capacity: number;
  n: number;
  exact: boolean;
  floor: number;
  /** Count descending, ties by name. */
  categories: string[];
  counts: number[];
  /** Present when not exact. */
  errors?: number[];
}

export class CategoryCounter {
  readonly capacity: number;
  #n = 0;
  #exact: Map<string, number> | undefined = new Map();
  #heap: CounterHeap | undefined;
  // Added to every stored count and error of the heap (see the merge note above).
  #base = 0;
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
    else if (heap.size < this.capacity) heap.push(category, this.#floor + weight - this.#base, this.#floor - this.#base);
    else {
      const evicted = heap.minCount();
      heap.replaceMin(category, evicted + weight, evicted);
      this.#floor = Math.max(this.#floor, evicted + this.#base);
    }
  }

  /** Estimated (upper-bound) count; 0 for an untracked category, whose true count is ≤ maxError. */
  count(category: string): number {
    if (this.#exact) return this.#exact.get(category) ?? 0;
    const slot = this.#heap!.slotOf(category);
    return slot === undefined ? 0 : this.#heap!.counts[slot]! + this.#base;
  }

  /** Bounds on the true count of any category, tracked or not. */
  bounds(category: string): { lower: number; upper: number } {
    if (this.#exact) { const c = this.#exact.get(category) ?? 0; return { lower: c, upper: c }; }
    const heap = this.#heap!;
    const slot = heap.slotOf(category);
    if (slot === undefined) return { lower: 0, upper: this.#floor };
    return { lower: heap.counts[slot]! - heap.errors[slot]!, upper: heap.counts[slot]! + this.#base };
  }

  /** Tracked categories, count descending, ties by category. */
  entries(): CategoryCount[] {
    const out: CategoryCount[] = [];
    if (this.#exact) {
      for (const [category, count] of this.#exact) out.push({ category, count, error: 0 });
    } else {
      const heap = this.#heap!;
      const base = this.#base;
      for (let s = 0; s < heap.size; s++) out.push({ category: heap.keys[s]!, count: heap.counts[s]! + base, error: heap.errors[s]! + base });
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
    const src = other === this ? CategoryCounter.fromJSON(this.toJSON()) : other;
    const otherFloor = src.#floor;
    this.#n += src.#n;
    if (this.#exact && src.#exact) {
      const exact = this.#exact;
      for (const [category, count] of src.#exact) exact.set(category, (exact.get(category) ?? 0) + count);
      if (exact.size > this.capacity) {
        this.#switchToSummary();
        this.#truncate();
      }
      return;
    }
    if (this.#exact) this.#switchToSummary();
    const heap = this.#heap!;
    const myFloor = this.#floor;
    // Every category tracked here but absent from `other` may have up to otherFloor there.
    this.#base += otherFloor;
    // Shared categories first: an increment must land before any eviction could drop its category.
    const freshKeys: string[] = [];
    const freshCounts: number[] = [];
    const freshErrors: number[] = [];
    src.#forEachEntry((category, count, error) => {
      const slot = heap.slotOf(category);
      if (slot !== undefined) {
        heap.increment(slot, count - otherFloor, error - otherFloor);
      } else {
        freshKeys.push(category);
        freshCounts.push(count + myFloor);
        freshErrors.push(error + myFloor);
      }
    });
    // Then keep the largest `capacity` of the union: a new category enters only by beating
    // the current minimum; whatever is left out raises the floor.
    let floor = myFloor + otherFloor;
    const base = this.#base;
    for (let i = 0; i < freshKeys.length; i++) {
      const count = freshCounts[i]!;
      if (heap.size < this.capacity) {
        heap.push(freshKeys[i]!, count - base, freshErrors[i]! - base);
      } else if (count > heap.minCount() + base) {
        floor = Math.max(floor, heap.replaceMin(freshKeys[i]!, count - base, freshErrors[i]! - base) + base);
      } else {
        floor = Math.max(floor, count);
      }
    }
    this.#floor = floor;
    this.#truncate();
  }

  toJSON(): CategoryCounterJSON {
    const entries = this.entries();
    const json: CategoryCounterJSON = {
      version: CATEGORY_COUNTER_VERSION, capacity: this.capacity, n: this.#n, exact: this.isExact, floor: this.#floor,
      categories: entries.map((e) => e.category), counts: entries.map((e) => e.count),
    };
    if (!this.isExact) json.errors = entries.map((e) => e.error);
    return json;
  }

  static fromJSON(value: unknown): CategoryCounter {
    if (typeof value !== "object" || value === null) throw new Error(`${WHAT}: expected an object`);
    const v = value as Record<string, unknown>;
    if (v.version !== CATEGORY_COUNTER_VERSION) throw new Error(`unsupported ${WHAT} version ${String(v.version)}`);
    const out = new CategoryCounter(v.capacity as number);
    const n = nonNegativeInteger(v.n, "n");
    const floor = nonNegativeInteger(v.floor, "floor");
    if (typeof v.exact !== "boolean") throw new Error(`${WHAT}: exact must be a boolean`);
    const categories = v.categories;
    if (!Array.isArray(categories) || !categories.every((c) => typeof c === "string")) throw new Error(`${WHAT}: categories must be an array of strings`);
    if (categories.length > out.capacity) throw new Error(`${WHAT}: ${categories.length} categories exceed capacity ${out.capacity}`);
    if (new Set(categories).size !== categories.length) throw new Error(`${WHAT}: duplicate category`);
    const counts = integerArray(v.counts, "counts", categories.length, 1);
    const errors = v.exact ? new Array<number>(categories.length).fill(0) : integerArray(v.errors, "errors", categories.length, 0);
    errors.forEach((e, i) => {
      if (e > floor || e > counts[i]!) throw new Error(`${WHAT}: errors[${i}] must be <= min(floor, count)`);
    });
    out.#n = n;
    if (v.exact) {
      const total = counts.reduce((a, c) => a + c, 0);
      if (floor !== 0) throw new Error(`${WHAT}: an exact counter has floor 0`);
      if (total !== n) throw new Error(`${WHAT}: exact counts sum to ${total}, not n = ${n}`);
      out.#exact = new Map(categories.map((c, i) => [c as string, counts[i]!]));
      return out;
    }
    if (floor * out.capacity > n) throw new Error(`${WHAT}: floor ${floor} exceeds n/capacity`);
    const heap = new CounterHeap();
    categories.forEach((c, i) => heap.push(c as string, counts[i]!, errors[i]!));
    out.#heap = heap;
    out.#exact = undefined;
    out.#floor = floor;
    return out;
  }

  /** Calls `fn` with each tracked category's true count and error, unsorted. */
  #forEachEntry(fn: (category: string, count: number, error: number) => void): void {
    if (this.#exact) {
      for (const [category, count] of this.#exact) fn(category, count, 0);
      return;
    }
    const heap = this.#heap!;
    for (let s = 0; s < heap.size; s++) fn(heap.keys[s]!, heap.counts[s]! + this.#base, heap.errors[s]! + this.#base);
  }

  #switchToSummary(): void {
    const heap = new CounterHeap();
    for (const [category, count] of this.#exact!) heap.push(category, count, 0);
    this.#heap = heap;
    this.#exact = undefined;
    this.#base = 0;
    this.#floor = 0;
  }

  // Drops the smallest counters beyond capacity; what they held bounds every untracked category.
  #truncate(): void {
    const heap = this.#heap!;
    while (heap.size > this.capacity) this.#floor = Math.max(this.#floor, heap.popMin() + this.#base);
  }
}

function byCountThenName(a: CategoryCount, b: CategoryCount): number {
  return b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0);
}

function nonNegativeInteger(x: unknown, name: string): number {
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new Error(`${WHAT}: ${name} must be a non-negative integer: ${String(x)}`);
  return x;
}

function integerArray(x: unknown, name: string, length: number, min: number): number[] {
  if (!Array.isArray(x) || x.length !== length) throw new Error(`${WHAT}: ${name} must be an array of ${length} integers`);
  return x.map((c: unknown, i) => {
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < min) throw new Error(`${WHAT}: ${name}[${i}] must be an integer >= ${min}`);
    return c;
  });
}
