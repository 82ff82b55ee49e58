// What a live window keeps for one numerical feature: exact counts in the profile's
// fixed bins (for PSI, Jensen-Shannon, Hellinger), exact counts in the profile's fine
// reference grid when it has one (for KS and Wasserstein, grid-counts.ts), a KLL sketch
// (quantiles for display; KS and Wasserstein when the profile has no grid) and mergeable
// moments. Every part merges exactly (counts, moments) or
// within its guarantee (KLL), so 1-minute windows roll up into 5-minute, 1-hour and
// 24-hour windows without re-reading traffic.

import { binIndex } from "../profile/bins.ts";
import { cellLocator } from "../profile/grid.ts";
import type { NumericalFeatureProfile } from "../profile/schema.ts";
import { numericRejection, toFiniteNumber } from "../profile/values.ts";
import { familyHex } from "../sketch/family-ids.ts";
import { KllSketch } from "../sketch/kll.ts";
import { Moments, MOMENTS_VERSION } from "../sketch/moments.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { GridCounts } from "./grid-counts.ts";
import { referenceGrid } from "./reference-cells.ts";
import type { RowSelection } from "./columns.ts";
import { WINDOW_FORMAT_VERSION, windowFamilies } from "./window-version.ts";

export class NumericalWindow {
  readonly kind = "numerical" as const;
  readonly name: string;
  /** The profile's interior bin edges (shared, never modified). */
  readonly edges: readonly number[];
  /** Exact counts per bin; doubles hold integers exactly up to 2^53. */
  readonly bins: Float64Array;
  /** Count, missing (null, undefined, NaN, empty), non-finite (±Infinity), mean, M2, min, max. */
  readonly moments: Moments;
  /** Cells that were neither numbers, numeric strings nor missing (e.g. "abc", true). */
  typeViolations = 0;
  /** Finite values below the reference minimum / above the reference maximum (data-quality.ts). */
  belowRange = 0;
  aboveRange = 0;
  /** The reference range the two counts above use (±∞ when built without a profile). */
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly sketch: KllSketch;
  /** The reference grid's edges (shared), or null when the profile has no grid. */
  readonly gridEdges: Float64Array | null;
  /** The grid's cell locator (stats/profile/grid.ts); null without a grid. */
  readonly #cellOf: ((x: number) => number) | null;
  /** Exact counts in the grid; null without a grid, or once merged with a window that had none. */
  grid: GridCounts | null;

  constructor(
    name: string,
    edges: readonly number[],
    sketch: KllSketch,
    moments = new Moments(),
    bins?: Float64Array,
    range: { min: number; max: number } = { min: -Infinity, max: Infinity },
    gridEdges: Float64Array | null = null,
    grid?: GridCounts | null,
    cellOf: ((x: number) => number) | null = null,
  ) {
    this.name = name;
    this.gridEdges = gridEdges;
    this.#cellOf = gridEdges === null ? null : (cellOf ?? cellLocator(gridEdges));
    this.grid = grid !== undefined ? grid : gridEdges === null ? null : new GridCounts(gridEdges.length);
    this.rangeMin = range.min;
    this.rangeMax = range.max;
    this.edges = edges;
    this.sketch = sketch;
    this.moments = moments;
    this.bins = bins ?? new Float64Array(edges.length + 1);
    if (this.bins.length !== edges.length + 1) {
      throw new Error(`feature "${name}": ${this.bins.length} bin counts for ${edges.length} edges`);
    }
  }

  static forProfile(feature: NumericalFeatureProfile, k = feature.sketch.k): NumericalWindow {
    const grid = referenceGrid(feature);
    return new NumericalWindow(feature.name, feature.bins.edges, new KllSketch(k), undefined, undefined, referenceRange(feature), grid?.edges ?? null, undefined, grid?.cellOf ?? null);
  }

  /** Counts one raw cell: a finite number (or numeric string), or a rejection. */
  update(raw: unknown): void {
    const x = typeof raw === "number" ? raw : toFiniteNumber(raw);
    if (x - x === 0) this.updateFinite(x); // false for NaN and ±Infinity
    else if (typeof raw === "number") {
      if (Number.isNaN(raw)) this.moments.missing++;
      else this.moments.nonFinite++;
    } else {
      const why = numericRejection(raw);
      if (why === "missing") this.moments.missing++;
      else if (why === "non_finite") this.moments.nonFinite++;
      else this.typeViolations++;
    }
  }

  /** Counts the selected cells of a numerical column (NaN = missing), as `update` would one by one. */
  updateValues(values: Float64Array, rows: RowSelection): void {
    const n = rows === null ? values.length : rows.length;
    for (let i = 0; i < n; i++) {
      const x = values[rows === null ? i : (rows[i] as number)] as number;
      if (x - x === 0) this.updateFinite(x);
      else if (Number.isNaN(x)) this.moments.missing++;
      else this.moments.nonFinite++;
    }
  }

  /** Counts `n` events that lacked the feature. */
  addMissing(n: number): void {
    this.moments.missing += n;
  }

  /** Counts a value already known to be finite. */
  updateFinite(x: number): void {
    const bin = binIndex(this.edges, x);
    this.bins[bin] = (this.bins[bin] as number) + 1;
    if (x < this.rangeMin) this.belowRange++;
    else if (x > this.rangeMax) this.aboveRange++;
    const grid = this.grid;
    if (grid !== null) {
      // The grid's ends are the reference min and max (schema.ts checks): the range above.
      grid.add((this.#cellOf as (x: number) => number)(x));
      if (x < this.rangeMin) grid.below += this.rangeMin - x;
      else if (x > this.rangeMax) grid.above += x - this.rangeMax;
    }
    this.sketch.update(x);
    this.moments.update(x);
  }

  merge(other: NumericalWindow): void {
    if (other.edges !== this.edges && !sameEdges(other.edges, this.edges)) {
      throw new Error(`feature "${this.name}": cannot merge windows built on different bins`);
    }
    for (let i = 0; i < this.bins.length; i++) this.bins[i] = (this.bins[i] as number) + (other.bins[i] as number);
    if (this.grid !== null && other.grid !== null) this.grid.merge(other.grid);
    else if (other.moments.count > 0) this.grid = null; // counts from a window without the grid: no longer exact
    this.sketch.merge(other.sketch);
    this.moments.merge(other.moments);
    this.typeViolations += other.typeViolations;
    this.belowRange += other.belowRange;
    this.aboveRange += other.aboveRange;
  }

  /**
   * In the layout of window state `version`: version 2 added the two out-of-range counts
   * after the type violations, version 3 changed the family byte (window-version.ts),
   * version 4 added the grid counts after the sketch (u8 0, or 1 and grid-counts.ts's bytes).
   */
  write(out: ByteWriter, version = WINDOW_FORMAT_VERSION): void {
    out.u8(windowFamilies(version).numericalWindow);
    writeMoments(out, this.moments);
    out.varint(this.typeViolations);
    if (version >= 2) {
      out.varint(this.belowRange);
      out.varint(this.aboveRange);
    }
    out.varint(this.bins.length);
    for (const count of this.bins) out.varint(count);
    out.bytes(this.sketch.toBytes());
    if (version >= 4) {
      out.u8(this.grid === null ? 0 : 1);
      this.grid?.write(out);
    }
  }

  /** Reads what `write` wrote, against the profile whose bins it counted. */
  static read(input: ByteReader, feature: NumericalFeatureProfile, version = WINDOW_FORMAT_VERSION): NumericalWindow {
    const family = input.u8();
    const expected = windowFamilies(version).numericalWindow;
    if (family !== expected) {
      throw new Error(`feature "${feature.name}": expected a numerical window (family ${familyHex(expected)}), got family ${familyHex(family)}`);
    }
    const moments = readMoments(input);
    const typeViolations = input.varint();
    const belowRange = version >= 2 ? input.varint() : 0;
    const aboveRange = version >= 2 ? input.varint() : 0;
    const binCount = input.varint();
    if (binCount !== feature.bins.edges.length + 1) {
      throw new Error(`feature "${feature.name}": window has ${binCount} bins, profile has ${feature.bins.edges.length + 1}`);
    }
    const bins = new Float64Array(binCount);
    for (let i = 0; i < binCount; i++) bins[i] = input.varint();
    const sketch = KllSketch.fromBytes(input.bytes());
    const reference = referenceGrid(feature);
    const gridEdges = reference?.edges ?? null;
    let grid: GridCounts | null = null;
    if (version >= 4 && input.u8() === 1) {
      if (gridEdges === null) throw new Error(`feature "${feature.name}": window has grid counts, the profile has no grid`);
      grid = GridCounts.read(input, gridEdges.length);
    } else if (gridEdges !== null && moments.count === 0) grid = new GridCounts(gridEdges.length);
    const window = new NumericalWindow(feature.name, feature.bins.edges, sketch, moments, bins, referenceRange(feature), gridEdges, grid, reference?.cellOf ?? null);
    window.typeViolations = typeViolations;
    window.belowRange = belowRange;
    window.aboveRange = aboveRange;
    return window;
  }
}

// Moments in binary: counts as varints, then (when count > 0) mean, M2, min, max as doubles.
function writeMoments(out: ByteWriter, moments: Moments): void {
  const state = moments.toJSON();
  out.varint(state.count);
  out.varint(state.missing);
  out.varint(state.nonFinite);
  if (state.count === 0) return;
  out.f64(state.mean);
  out.f64(state.m2);
  out.f64(moments.min());
  out.f64(moments.max());
}

function readMoments(input: ByteReader): Moments {
  const count = input.varint();
  const missing = input.varint();
  const nonFinite = input.varint();
  const empty = count === 0;
  const mean = empty ? 0 : input.f64();
  const m2 = empty ? 0 : input.f64();
  const min = empty ? null : input.f64();
  const max = empty ? null : input.f64();
  return Moments.fromJSON({ version: MOMENTS_VERSION, count, missing, nonFinite, mean, m2, min, max });
}

function referenceRange(feature: NumericalFeatureProfile): { min: number; max: number } {
  return { min: feature.moments.min, max: feature.moments.max };
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((edge, i) => edge === b[i]);
}
