// Indexed binary min-heap of (category, count, error) counters for SpaceSaving:
// the smallest counter is found in O(1) and replaced, incremented or removed in
// O(log m), so a full summary updates and merges in O(log m) per category.

export class CounterHeap {
  readonly keys: string[] = [];
  readonly counts: number[] = [];
  readonly errors: number[] = [];
  // heap[i] is a slot (index into keys/counts/errors); pos[slot] is its heap index.
  readonly #heap: number[] = [];
  readonly #pos: number[] = [];
  readonly #slotOf = new Map<string, number>();

  get size(): number { return this.keys.length; }
  slotOf(key: string): number | undefined { return this.#slotOf.get(key); }

  push(key: string, count: number, error: number): void {
    const slot = this.keys.length;
    this.keys.push(key);
    this.counts.push(count);
    this.errors.push(error);
    this.#slotOf.set(key, slot);
    this.#heap.push(slot);
    this.#pos.push(slot);
    this.#siftUp(slot);
  }

  /** Adds a non-negative amount to a counter (and optionally its error). */
  increment(slot: number, count: number, error = 0): void {
    this.counts[slot] = this.counts[slot]! + count;
    this.errors[slot] = this.errors[slot]! + error;
    this.#siftDown(this.#pos[slot]!);
  }

  minCount(): number {
    return this.counts[this.#heap[0]!]!;
  }

  /** Gives the smallest counter's slot to `key` with the given count and error; returns the evicted count. */
  replaceMin(key: string, count: number, error: number): number {
    const slot = this.#heap[0]!;
    const evicted = this.counts[slot]!;
    this.#slotOf.delete(this.keys[slot]!);
    this.keys[slot] = key;
    this.counts[slot] = count;
    this.errors[slot] = error;
    this.#slotOf.set(key, slot);
    this.#siftDown(0);
    return evicted;
  }

  /** Removes the smallest counter and returns its count. */
  popMin(): number {
    const slot = this.#heap[0]!;
    const count = this.counts[slot]!;
    const lastHeap = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = lastHeap;
      this.#pos[lastHeap] = 0;
      this.#siftDown(0);
    }
    // Fill the freed slot with the last slot so the arrays stay dense.
    this.#slotOf.delete(this.keys[slot]!);
    const last = this.keys.length - 1;
    if (slot !== last) {
      this.keys[slot] = this.keys[last]!;
      this.counts[slot] = this.counts[last]!;
      this.errors[slot] = this.errors[last]!;
      this.#slotOf.set(this.keys[slot]!, slot);
      const at = this.#pos[last]!;
      this.#heap[at] = slot;
      this.#pos[slot] = at;
    }
    this.keys.pop();
    this.counts.pop();
    this.errors.pop();
    this.#pos.pop();
    return count;
  }

  #less(a: number, b: number): boolean {
    return this.counts[this.#heap[a]!]! < this.counts[this.#heap[b]!]!;
  }

  #swap(a: number, b: number): void {
    const sa = this.#heap[a]!;
    const sb = this.#heap[b]!;
    this.#heap[a] = sb;
    this.#heap[b] = sa;
    this.#pos[sb] = a;
    this.#pos[sa] = b;
  }

  #siftUp(slot: number): void {
    let i = this.#pos[slot]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(start: number): void {
    let i = start;
    const n = this.#heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#less(right, left) ? right : left;
      if (!this.#less(child, i)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
