// The label join index's tail (join-index.ts): one slice of the hash space's newest
// entries, held in memory until they move, sorted, into the SQLite generations.

/** A location whose hash matches a probed id (maybe a collision: check the stored id). */
export interface Candidate {
  h: number;
  loc: number;
}

const FREE = 0;
/** A forgotten entry: probes go past it, inserts may reuse it. */
const GONE = -1;
const MIN_CAPACITY = 1 << 10;

/**
 * One slice's tail: hash → location in an open-addressing table (linear probing) of two
 * Float64Arrays, grown at half full. Locations start at 1, so 0 marks a free slot. A hash
 * may sit there more than once (a repeated id, or a collision).
 */
export class Tail {
  #keys = new Float64Array(MIN_CAPACITY);
  #locs = new Float64Array(MIN_CAPACITY);
  #used = 0; // entries and GONE marks
  size = 0;

  add(h: number, loc: number): void {
    // At half full (GONE marks included): twice the room, or the same once GONE marks are most of it.
    if (2 * (this.#used + 1) > this.#keys.length) this.#resize(4 * (this.size + 1) > this.#keys.length ? 2 * this.#keys.length : this.#keys.length);
    const mask = this.#keys.length - 1;
    // The low 32 bits of a cyrb53 hash (its first lane) are well mixed; the slice is its top bits.
    let i = (h >>> 0) & mask;
    while (this.#locs[i] !== FREE) i = (i + 1) & mask;
    this.#keys[i] = h;
    this.#locs[i] = loc;
    this.#used++;
    this.size++;
  }

  /** Appends every entry with hash `h` to `out`. */
  find(h: number, out: Candidate[]): void {
    const mask = this.#keys.length - 1;
    for (let i = (h >>> 0) & mask; this.#locs[i] !== FREE; i = (i + 1) & mask) {
      if (this.#keys[i] === h && this.#locs[i]! > 0) out.push({ h, loc: this.#locs[i]! });
    }
  }

  remove(h: number, loc: number): boolean {
    const mask = this.#keys.length - 1;
    for (let i = (h >>> 0) & mask; this.#locs[i] !== FREE; i = (i + 1) & mask) {
      if (this.#keys[i] === h && this.#locs[i] === loc) {
        this.#locs[i] = GONE;
        this.size--;
        return true;
      }
    }
    return false;
  }

  /** Every entry, sorted by hash then location. */
  sorted(): { h: Float64Array; loc: Float64Array } {
    const h = new Float64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.#keys.length; i++) if (this.#locs[i]! > 0) h[n++] = this.#keys[i]!;
    h.sort(); // numeric, native: much cheaper than sorting pairs with a comparator
    // Each hash's location from the table: one probe for a hash held once, all its
    // entries, sorted, for one held more than once.
    const loc = new Float64Array(this.size);
    const mask = this.#keys.length - 1;
    const same: Candidate[] = [];
    for (let k = 0; k < n; ) {
      const key = h[k]!;
      if (k + 1 === n || h[k + 1] !== key) {
        let i = (key >>> 0) & mask;
        while (this.#keys[i] !== key || this.#locs[i]! <= 0) i = (i + 1) & mask;
        loc[k++] = this.#locs[i]!;
        continue;
      }
      same.length = 0;
      this.find(key, same);
      same.sort((a, b) => a.loc - b.loc);
      for (const c of same) loc[k++] = c.loc;
    }
    return { h, loc };
  }

  /**
   * Empties the table. Under load it keeps its arrays (the slice refills to the same size
   * within seconds; a fresh allocation each time is megabytes of zeroed memory for the
   * collector); `shrink` gives them back, for an object going quiet.
   */
  clear(shrink = false): void {
    if (shrink || this.#keys.length === MIN_CAPACITY) {
      this.#keys = new Float64Array(MIN_CAPACITY);
      this.#locs = new Float64Array(MIN_CAPACITY);
    } else {
      this.#locs.fill(FREE); // keys are only read where a location is set
    }
    this.#used = 0;
    this.size = 0;
  }

  #resize(capacity: number): void {
    const keys = this.#keys;
    const locs = this.#locs;
    this.#keys = new Float64Array(capacity);
    this.#locs = new Float64Array(capacity);
    this.#used = 0;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (locs[i]! > 0) this.add(keys[i]!, locs[i]!);
  }
}
