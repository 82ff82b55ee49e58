// A live window's exact counts in the reference grid's cells (stats/profile/grid.ts), plus
// the two tail sums that make the Wasserstein tails exact:
//   below = Σ (e_0 − x) over values x < e_0 (the reference minimum),
//   above = Σ (x − e_last) over values x > e_last (the reference maximum).
// Integer counts merge exactly, so 1-minute buckets roll up into any window without error.
//
// Memory: a window starts as a log of cell indices (2 bytes per value, up to 65,535 cells)
// and turns into a dense Uint32Array of E + 1 counts (4 bytes per cell, about 4 KB at
// B = 1,000) once the log would be larger; a quiet 1-minute bucket stays tiny.
// Serialized as the non-empty cells only: (gap, count) varint pairs, then the tail sums.

import type { ByteReader, ByteWriter } from "./bytes.ts";

export class GridCounts {
  /** E: the grid's edge count; there are E + 1 cells. */
  readonly edgeCount: number;
  #log: Uint16Array | null = new Uint16Array(8);
  #logged = 0;
  #dense: Uint32Array | null = null;
  total = 0;
  below = 0;
  above = 0;

  constructor(edgeCount: number) {
    if (!(edgeCount >= 1 && edgeCount < 65535)) throw new Error(`grid counts need 1 to 65,534 edges: ${edgeCount}`);
    this.edgeCount = edgeCount;
  }

  get cells(): number {
    return this.edgeCount + 1;
  }

  /** Counts a value in `cell` (0 … E); the caller adds to the tail sums (numerical-window.ts). */
  add(cell: number): void {
    this.total++;
    const dense = this.#dense;
    if (dense !== null) {
      dense[cell]! += 1;
      return;
    }
    let log = this.#log as Uint16Array;
    if (this.#logged === log.length) {
      if (log.length >= this.cells) {
        this.#densify();
        (this.#dense as Uint32Array)[cell]! += 1;
        return;
      }
      const grown = new Uint16Array(Math.min(log.length * 2, this.cells));
      grown.set(log);
      this.#log = log = grown;
    }
    log[this.#logged++] = cell;
  }

  #densify(): void {
    const dense = new Uint32Array(this.cells);
    const log = this.#log;
    if (log !== null) for (let i = 0; i < this.#logged; i++) dense[log[i] as number]! += 1;
    this.#dense = dense;
    this.#log = null;
    this.#logged = 0;
  }

  /** The counts per cell (a fresh array). */
  counts(): Float64Array {
    const out = new Float64Array(this.cells);
    if (this.#dense !== null) out.set(this.#dense);
    else {
      const log = this.#log as Uint16Array;
      for (let i = 0; i < this.#logged; i++) out[log[i] as number]! += 1;
    }
    return out;
  }

  merge(other: GridCounts): void {
    if (other.edgeCount !== this.edgeCount) throw new Error(`cannot merge grid counts of ${other.edgeCount} and ${this.edgeCount} edges`);
    if (other.total === 0) return;
    // Only a log turns dense here: densifying a dense array again would start it from zero
    // and keep only `other`'s counts (the bug that made every window merged from two or more
    // non-empty buckets score KS and Wasserstein on the last bucket's cells alone).
    if (this.#dense === null) this.#densify();
    const dense = this.#dense as Uint32Array;
    const counts = other.counts();
    for (let i = 0; i < counts.length; i++) dense[i] = (dense[i] as number) + (counts[i] as number);
    this.total += other.total;
    this.below += other.below;
    this.above += other.above;
  }

  /** Bytes held (for the memory budget in docs). */
  byteSize(): number {
    return this.#dense !== null ? this.#dense.byteLength : (this.#log as Uint16Array).byteLength;
  }

  write(out: ByteWriter): void {
    const counts = this.counts();
    let nonEmpty = 0;
    for (const c of counts) if (c > 0) nonEmpty++;
    out.varint(this.edgeCount);
    out.varint(nonEmpty);
    let previous = -1;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (c === 0) continue;
      out.varint(i - previous - 1);
      out.varint(c);
      previous = i;
    }
    out.f64(this.below);
    out.f64(this.above);
  }

  static read(input: ByteReader, edgeCount: number): GridCounts {
    const stored = input.varint();
    if (stored !== edgeCount) throw new Error(`window grid has ${stored} edges, profile grid has ${edgeCount}`);
    const grid = new GridCounts(edgeCount);
    const nonEmpty = input.varint();
    let cell = -1;
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k < nonEmpty; k++) {
      cell += input.varint() + 1;
      if (cell > edgeCount) throw new Error(`window grid cell ${cell} past the last cell ${edgeCount}`);
      pairs.push([cell, input.varint()]);
    }
    const below = input.f64();
    const above = input.f64();
    let total = 0;
    for (const [, n] of pairs) total += n;
    if (total <= grid.cells) {
      // Small windows stay a log of cells, as they were before they were stored.
      const log = new Uint16Array(Math.max(8, total));
      let i = 0;
      for (const [c, n] of pairs) for (let k = 0; k < n; k++) log[i++] = c;
      grid.#log = log;
      grid.#logged = total;
    } else {
      grid.#densify();
      const dense = grid.#dense as Uint32Array;
      for (const [c, n] of pairs) dense[c] = n;
    }
    grid.total = total;
    grid.below = below;
    grid.above = above;
    return grid;
  }
}
