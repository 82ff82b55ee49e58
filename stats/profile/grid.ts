// The reference grid of a numerical feature: B fine reference quantiles, stored once with
// the baseline, with the reference's exact count in each cell. A live window counts its
// values into the same cells exactly (stats/streaming/grid-counts.ts), so the two-sample
// KS statistic and the Wasserstein distance can be evaluated at the grid edges with the
// current side exact; the only approximation left is the reference's own binning, whose
// cells each hold about 1/B of it (stats/streaming/scores/grid-ks.ts and grid-wasserstein.ts
// state the bounds).
//
// Edges: e_0 = reference min, e_j = numpy.quantile(ref, j/B) (linear, as bins.ts), j = 1 …
// B − 1, e_B = reference max, with ties dropped (strictly increasing). A reference with at
// most B + 1 distinct values (a count, a rating, a flag) gets its distinct values as the
// edges instead, and the grid is marked `atoms`: every reference value sits on an edge, so
// both ECDFs are flat inside a cell whenever the window's values are on the same support,
// and the scores step instead of drawing lines (scores/grid-wasserstein.ts). Cells are
// right-closed like the profile's bins: cell 0 = (−∞, e_0], cell j = (e_{j−1}, e_j],
// cell E = (e_{E−1}, +∞) for E edges, so cell 0 holds the reference's ties at its minimum
// and the last cell holds no reference value. F_ref(e_j) = (counts[0] + … + counts[j]) / n
// exactly.
//
// Stored form (JSON has no binary): `edges` is base64 of the edges as little-endian
// float64, `counts` base64 of the E + 1 counts as LEB128 varints (mostly one byte each):
// about 12 KB of text per feature at B = 1,000.

import { bytesFromBase64, bytesToBase64 } from "../sketch/base64.ts";
import { linearQuantile } from "./bins.ts";

export const DEFAULT_GRID_BINS = 1000;
export const MAX_GRID_BINS = 4000;

export interface ReferenceGrid {
  /** Strictly increasing edges, reference min first and max last. */
  readonly edges: Float64Array;
  /** Reference count per cell, edges.length + 1 cells. */
  readonly counts: Float64Array;
  /** F_ref(e_j): the reference share ≤ each edge (exact). */
  readonly cdf: Float64Array;
  readonly n: number;
  /** Every reference value is an edge (a discrete reference, see the header). */
  readonly atoms: boolean;
  /** The cell of x (the number of edges strictly below it), in a few steps (cellLocator). */
  readonly cellOf: (x: number) => number;
}

/** Grid edges of a sorted sample (see the header); `bins` is B. */
export function gridEdges(sorted: Float64Array, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 2 || bins > MAX_GRID_BINS) throw new Error(`grid bins must be an integer in [2, ${MAX_GRID_BINS}]: ${bins}`);
  if (sorted.length === 0) throw new Error("grid of an empty sample");
  const out: number[] = [sorted[0] as number];
  for (let j = 1; j < bins; j++) {
    const edge = linearQuantile(sorted, j / bins);
    if (edge > (out[out.length - 1] as number)) out.push(edge);
  }
  const max = sorted[sorted.length - 1] as number;
  if (max > (out[out.length - 1] as number)) out.push(max);
  return Float64Array.from(out);
}

/** Exact counts of a sorted sample in the right-closed grid cells (one merge pass). */
export function gridCountsOfSorted(edges: Float64Array, sorted: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let cell = 0;
  for (const x of sorted) {
    while (cell < edges.length && (edges[cell] as number) < x) cell++;
    counts[cell] = (counts[cell] as number) + 1;
  }
  return counts;
}

export function gridFromCounts(edges: Float64Array, counts: Float64Array, atoms = false): ReferenceGrid {
  if (counts.length !== edges.length + 1) throw new Error(`grid: ${counts.length} counts for ${edges.length} edges`);
  let n = 0;
  for (const c of counts) n += c;
  const cdf = new Float64Array(edges.length);
  let running = 0;
  for (let j = 0; j < edges.length; j++) {
    running += counts[j] as number;
    cdf[j] = running / n;
  }
  return { edges, counts, cdf, n, atoms, cellOf: cellLocator(edges) };
}

/** Slots of the locator's table over [e_0, e_last]: about 2 edges per slot at B = 1,000. */
const LOCATOR_SLOTS = 512;

/**
 * A function x → the number of edges strictly below x (numpy.searchsorted side="left"),
 * the same answer as a binary search, faster on the live path: a table over equal slots
 * of [e_0, e_last] holds each slot's first candidate cell, and a short forward scan
 * finishes (a binary search inside the slot when it holds many edges, as in a spike).
 */
export function cellLocator(edges: Float64Array): (x: number) => number {
  const count = edges.length;
  const first = edges[0] as number;
  const last = edges[count - 1] as number;
  const span = last - first;
  const search = (x: number, lo: number, hi: number) => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  if (!(span > 0) || !Number.isFinite(span)) return (x) => search(x, 0, count);
  const scale = LOCATOR_SLOTS / span;
  // start[s]: edges strictly below the slot's left end, a lower bound for any x in the slot.
  const start = new Int32Array(LOCATOR_SLOTS + 1);
  for (let s = 0; s <= LOCATOR_SLOTS; s++) start[s] = search(first + s / scale, 0, count);
  return (x) => {
    if (!(x > first)) return 0; // x ≤ e_0 (and NaN, which the window never passes)
    if (x > last) return count;
    let slot = Math.floor((x - first) * scale);
    if (slot >= LOCATOR_SLOTS) slot = LOCATOR_SLOTS - 1;
    // Rounding can put the slot's left end a hair above x: step back while it does.
    while (slot > 0 && first + slot / scale >= x) slot--;
    let i = start[slot] as number;
    const end = start[slot + 1] as number;
    if (end - i > 8) return search(x, i, Math.min(count, end + 1));
    while (i < count && (edges[i] as number) < x) i++;
    return i;
  };
}

/** The distinct values of a sorted sample, or null when there are more than `limit`. */
function distinctValues(sorted: Float64Array, limit: number): Float64Array | null {
  const out: number[] = [];
  for (const x of sorted) {
    if (out.length === 0 || x > (out[out.length - 1] as number)) {
      if (out.length === limit) return null;
      out.push(x);
    }
  }
  return Float64Array.from(out);
}

export function buildGrid(sorted: Float64Array, bins = DEFAULT_GRID_BINS): ReferenceGrid {
  const distinct = distinctValues(sorted, bins + 1);
  if (distinct !== null) return gridFromCounts(distinct, gridCountsOfSorted(distinct, sorted), true);
  const edges = gridEdges(sorted, Math.min(bins, Math.max(2, sorted.length)));
  return gridFromCounts(edges, gridCountsOfSorted(edges, sorted));
}

export function encodeEdges(edges: Float64Array): string {
  const bytes = new Uint8Array(edges.length * 8);
  const view = new DataView(bytes.buffer);
  edges.forEach((edge, i) => view.setFloat64(i * 8, edge, true));
  return bytesToBase64(bytes);
}

export function decodeEdges(text: string): Float64Array {
  const bytes = bytesFromBase64(text);
  if (bytes.length % 8 !== 0) throw new Error(`edges hold ${bytes.length} bytes, not a whole number of float64`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const edges = new Float64Array(bytes.length / 8);
  for (let i = 0; i < edges.length; i++) edges[i] = view.getFloat64(i * 8, true);
  return edges;
}

export function encodeCounts(counts: Float64Array): string {
  const bytes: number[] = [];
  for (const count of counts) {
    let v = count;
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`grid count must be a safe integer >= 0: ${v}`);
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return bytesToBase64(Uint8Array.from(bytes));
}

export function decodeCounts(text: string): Float64Array {
  const bytes = bytesFromBase64(text);
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (i >= bytes.length) throw new Error("truncated varint in grid counts");
      const b = bytes[i++] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error("varint longer than 8 bytes in grid counts");
    }
    out.push(value);
  }
  return Float64Array.from(out);
}

/** The profile's JSON form of a grid (schema.ts `grid`), without its null table. */
export interface GridJson {
  bins: number;
  edges: string;
  counts: string;
  /** True when the edges are the reference's distinct values (absent: false). */
  atoms?: boolean;
}

export function gridToJson(grid: ReferenceGrid, bins: number): GridJson {
  return { bins, edges: encodeEdges(grid.edges), counts: encodeCounts(grid.counts), ...(grid.atoms ? { atoms: true } : {}) };
}

/** Decodes and checks a stored grid; throws with the problem (schema.ts names the field). */
export function gridFromJson(json: GridJson, count?: number): ReferenceGrid {
  const edges = decodeEdges(json.edges);
  const counts = decodeCounts(json.counts);
  if (edges.length === 0) throw new Error("grid has no edges");
  for (let i = 1; i < edges.length; i++) {
    if (!((edges[i] as number) > (edges[i - 1] as number))) throw new Error(`grid edges must be strictly increasing (at ${i})`);
    if (!Number.isFinite(edges[i])) throw new Error(`grid edge ${i} is not finite`);
  }
  if (counts.length !== edges.length + 1) throw new Error(`grid holds ${counts.length} counts for ${edges.length} edges (needs ${edges.length + 1})`);
  if ((counts[counts.length - 1] as number) !== 0) throw new Error("the grid's last cell (above the reference max) must be empty");
  const grid = gridFromCounts(edges, counts, json.atoms === true);
  if (count !== undefined && grid.n !== count) throw new Error(`grid counts sum to ${grid.n}, moments.count is ${count}`);
  return grid;
}

/**
 * ∫₀^w |a + (b − a)·x/w| dx: the area under the absolute value of a line from a to b
 * over a width w. Same signs: w·(|a| + |b|)/2; a sign change: w·(a² + b²)/(2·(|a| + |b|)).
 */
export function absLineArea(a: number, b: number, width: number): number {
  if ((a >= 0 && b >= 0) || (a <= 0 && b <= 0)) return (width * (Math.abs(a) + Math.abs(b))) / 2;
  return (width * (a * a + b * b)) / (2 * (Math.abs(a) + Math.abs(b)));
}

/**
 * ∫ over one cell of |F_ref − F_cur| from the differences at its two edges: the line
 * between them, or, on an atoms grid, the step that keeps the left value up to the right
 * edge (both ECDFs flat inside the cell).
 */
export function cellArea(grid: ReferenceGrid, left: number, right: number, width: number): number {
  return grid.atoms ? Math.abs(left) * width : absLineArea(left, right, width);
}
