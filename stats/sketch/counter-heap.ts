// Indexed binary min-heap of (category, count, error) counters for SpaceSaving:
// finding and replacing the smallest counter is O(1) + O(log m), and an increment
// is one sift-down, so a full summary still updates in O(log m).

export class CounterHeap {
  readonly capacity: number;
  readonly keys: string[] = [];
  readonly counts: number[] = [];
  readonly errors: number[] = [];
  readonly #heap: number[] = [];
  readonly #pos: number[] = [];
  readonly #slotOf = new Map<string, number>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number { return this.keys.length; }
  slotOf(key: string): number | undefined { return this.#slotOf.get(key); }
  minCount(): number { return this.size === 0 ? 0 : this.counts[this.#heap[0]!]!; }

  add(key: string, count: number, error: number): void {
    if (this.size >= this.capacity) throw new Error("CounterHeap.add: heap is full");
    const slot = this.keys.length;
    this.keys.push(key);
    this.counts.push(count);
    this.errors.push(error);
    this.#slotOf.set(key, slot);
    this.#heap.push(slot);
    this.#pos.push(slot);
    this.#siftUp(slot);
  }

  increment(slot: number, weight: number): void {
    this.counts[slot] = this.counts[slot]! + weight;
    this.#siftDown(this.#pos[slot]!);
  }

  /** Gives the smallest counter to `key`: count = evicted + weight, error = evicted. Returns the evicted count. */
  replaceMin(key: string, weight: number): number {
    const slot = this.#heap[0]!;
    const evicted = this.counts[slot]!;
    this.#slotOf.delete(this.keys[slot]!);
    this.keys[slot] = key;
    this.errors[slot] = evicted;
    this.counts[slot] = evicted + weight;
    this.#slotOf.set(key, slot);
    this.#siftDown(0);
    return evicted;
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
