// What a live window keeps for one categorical feature: exact counts in the profile's
// cells (its kept categories, then one "__other__" cell for everything else), which
// is all the categorical scores need, plus a capped tally of labels outside the kept
// categories for data-quality reports. Counts merge exactly.
//
// "Outside the kept categories" means never seen in the reference only when the
// profile pooled nothing (other_count = 0); otherwise it may be a rare reference
// category that was pooled into "__other__".

import type { CategoricalFeatureProfile } from "../profile/schema.ts";
import { categoryRejection, toCategory } from "../profile/values.ts";
import { familyHex } from "../sketch/family-ids.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import type { RowSelection } from "./columns.ts";
import { WINDOW_FORMAT_VERSION, windowFamilies } from "./window-version.ts";

/** Cell counts of a categorical window: labels counted, missing cells, non-label cells. */
export interface CategoryCounts {
  count: number;
  missing: number;
  typeViolations: number;
}

/** Labels outside the profile tallied one by one; the rest only count in `unlistedOverflow`. */
export const DEFAULT_MAX_UNLISTED = 100;

export class CategoricalWindow {
  readonly kind = "categorical" as const;
  readonly name: string;
  /** Category → cell index, from the profile (shared, never modified). */
  readonly index: ReadonlyMap<string, number>;
  /** Exact counts per cell; the last cell is "__other__". */
  readonly cells: Float64Array;
  readonly moments: CategoryCounts = { count: 0, missing: 0, typeViolations: 0 };
  /** Counts of labels outside the profile's kept categories, at most maxUnlisted labels. */
  readonly unlisted = new Map<string, number>();
  unlistedOverflow = 0;
  readonly maxUnlisted: number;

  constructor(name: string, index: ReadonlyMap<string, number>, maxUnlisted = DEFAULT_MAX_UNLISTED) {
    this.name = name;
    this.index = index;
    this.cells = new Float64Array(index.size + 1);
    this.maxUnlisted = maxUnlisted;
  }

  static forProfile(feature: CategoricalFeatureProfile, maxUnlisted?: number): CategoricalWindow {
    return new CategoricalWindow(feature.name, categoryIndex(feature), maxUnlisted);
  }

  update(raw: unknown): void {
    const label = toCategory(raw);
    if (label === undefined) {
      if (categoryRejection(raw) === "type_violation") this.moments.typeViolations++;
      else this.moments.missing++;
      return;
    }
    this.moments.count++;
    const cell = this.index.get(label);
    if (cell !== undefined) {
      this.cells[cell] = (this.cells[cell] as number) + 1;
      return;
    }
    this.cells[this.index.size] = (this.cells[this.index.size] as number) + 1;
    this.#tally(label, 1);
  }

  /**
   * Counts the selected cells of a dictionary-coded column as `update` would one by one:
   * each distinct label is looked up once. Labels are non-empty category strings
   * (`toCategory` output), codes below 0 are missing.
   */
  updateCodes(codes: Int32Array, dictionary: readonly string[], rows: RowSelection): void {
    const perCode = new Float64Array(dictionary.length);
    const n = rows === null ? codes.length : rows.length;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const code = codes[rows === null ? i : (rows[i] as number)] as number;
      if (code < 0) missing++;
      else perCode[code] = (perCode[code] as number) + 1;
    }
    this.moments.missing += missing;
    const other = this.index.size;
    for (let code = 0; code < perCode.length; code++) {
      const count = perCode[code] as number;
      if (count === 0) continue;
      const label = dictionary[code] as string;
      this.moments.count += count;
      const cell = this.index.get(label);
      if (cell !== undefined) this.cells[cell] = (this.cells[cell] as number) + count;
      else {
        this.cells[other] = (this.cells[other] as number) + count;
        this.#tally(label, count);
      }
    }
  }

  /** Counts `n` events that lacked the feature. */
  addMissing(n: number): void {
    this.moments.missing += n;
  }

  #tally(label: string, count: number): void {
    const seen = this.unlisted.get(label);
    if (seen !== undefined) this.unlisted.set(label, seen + count);
    else if (this.unlisted.size < this.maxUnlisted) this.unlisted.set(label, count);
    else this.unlistedOverflow += count;
  }

  merge(other: CategoricalWindow): void {
    if (other.cells.length !== this.cells.length) {
      throw new Error(`feature "${this.name}": cannot merge windows built on different categories`);
    }
    for (let i = 0; i < this.cells.length; i++) this.cells[i] = (this.cells[i] as number) + (other.cells[i] as number);
    this.moments.count += other.moments.count;
    this.moments.missing += other.moments.missing;
    this.moments.typeViolations += other.moments.typeViolations;
    for (const [label, count] of other.unlisted) this.#tally(label, count);
    this.unlistedOverflow += other.unlistedOverflow;
  }

  /** In the layout of window state `version`: only the family byte differs, from version 3 (window-version.ts). */
  write(out: ByteWriter, version = WINDOW_FORMAT_VERSION): void {
    out.u8(windowFamilies(version).categoricalWindow);
    out.varint(this.moments.count);
    out.varint(this.moments.missing);
    out.varint(this.moments.typeViolations);
    out.varint(this.cells.length);
    for (const count of this.cells) out.varint(count);
    out.varint(this.unlisted.size);
    for (const [label, count] of this.unlisted) {
      out.string(label);
      out.varint(count);
    }
    out.varint(this.unlistedOverflow);
  }

  static read(input: ByteReader, feature: CategoricalFeatureProfile, version = WINDOW_FORMAT_VERSION, maxUnlisted?: number): CategoricalWindow {
    const family = input.u8();
    const expected = windowFamilies(version).categoricalWindow;
    if (family !== expected) {
      throw new Error(`feature "${feature.name}": expected a categorical window (family ${familyHex(expected)}), got family ${familyHex(family)}`);
    }
    const window = CategoricalWindow.forProfile(feature, maxUnlisted);
    window.moments.count = input.varint();
    window.moments.missing = input.varint();
    window.moments.typeViolations = input.varint();
    const cellCount = input.varint();
    if (cellCount !== window.cells.length) {
      throw new Error(`feature "${feature.name}": window has ${cellCount} cells, profile has ${window.cells.length}`);
    }
    for (let i = 0; i < cellCount; i++) window.cells[i] = input.varint();
    const listed = input.varint();
    for (let i = 0; i < listed; i++) {
      const label = input.string();
      window.unlisted.set(label, input.varint());
    }
    window.unlistedOverflow = input.varint();
    return window;
  }
}

const indexCache = new WeakMap<CategoricalFeatureProfile, ReadonlyMap<string, number>>();

/** Category → cell index for a profile feature, built once per profile object. */
export function categoryIndex(feature: CategoricalFeatureProfile): ReadonlyMap<string, number> {
  let index = indexCache.get(feature);
  if (index === undefined) {
    index = new Map(feature.categories.values.map((label, i) => [label, i]));
    indexCache.set(feature, index);
  }
  return index;
}
