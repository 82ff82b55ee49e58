// The live window state of one model version: one summary per profiled feature and
// one for the prediction column, built against a frozen reference profile. A Durable
// Object keeps one per 1-minute bucket, merges buckets into 5-minute, 1-hour and
// 24-hour windows, and stores them in the compact binary form below.
//
// Binary form, version 4:
//   u8 version (4) · u8 family (0xD7 window state) · varint rows · varint features
//   · per feature in profile order: string name · feature bytes (family 0xCE numerical,
//     0xC3 categorical, see numerical-window.ts / categorical-window.ts)
//   · u8 has-prediction · [prediction feature bytes]
//   · feature presence (feature-presence.ts)
// Older versions are still read (windows stored in Durable Object SQLite):
//   version 3: version 4 without the numerical features' grid counts (numerical-window.ts);
//     a profile's grid then counts only what arrives after (a merged window that holds
//     version-3 counts has no grid and is scored on its sketch).
//   version 2: the same under family 0x10, features 0x01 and 0x02, which are Apache
//     DataSketches' ids (CPC, Alpha, QuickSelect); version 3 changed only those bytes to
//     Vigil's own (window-version.ts, stats/sketch/family-ids.ts say why).
//   version 1: version 2 without the data-quality counters (numerical out-of-range
//     counts, the feature presence section); its events are kept as
//     `presence.uncheckedRows`, and its out-of-range counts read as 0.
// Names are stored so a window read against the wrong profile fails by name.

import type { FeatureProfile, Profile } from "../profile/schema.ts";
import { bytesFromBase64, bytesToBase64 } from "../sketch/base64.ts";
import { familyHex, LEGACY_FAMILY, VIGIL_FAMILY } from "../sketch/family-ids.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { CategoricalWindow } from "./categorical-window.ts";
import { rawCell, selectedCount, type Column, type ColumnBatch, type RowSelection } from "./columns.ts";
import { FeaturePresence } from "./feature-presence.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { OLDEST_WINDOW_FORMAT_VERSION, WINDOW_FORMAT_VERSION, windowFamilies } from "./window-version.ts";

export { WINDOW_FORMAT_VERSION };
export const WINDOW_STATE_FAMILY = VIGIL_FAMILY.windowState;

export type FeatureWindow = NumericalWindow | CategoricalWindow;

export function featureWindowFor(feature: FeatureProfile): FeatureWindow {
  return feature.kind === "numerical" ? NumericalWindow.forProfile(feature) : CategoricalWindow.forProfile(feature);
}

export class WindowState {
  readonly profile: Profile;
  /** In profile order. */
  readonly features: FeatureWindow[];
  readonly prediction: FeatureWindow | null;
  /** Events counted (rows passed to updateRow, or added by merge). */
  rows = 0;
  /** Absent profiled features and unknown keys, per event (data-quality.ts reports them). */
  readonly presence: FeaturePresence;
  readonly #predictionName: string | null;

  constructor(profile: Profile, features?: FeatureWindow[], prediction?: FeatureWindow | null) {
    this.profile = profile;
    this.features = features ?? profile.features.map(featureWindowFor);
    this.prediction = prediction !== undefined ? prediction : profile.prediction === null ? null : featureWindowFor(profile.prediction);
    this.#predictionName = profile.prediction?.name ?? null;
    this.presence = new FeaturePresence(
      this.features.map((window) => window.name),
      this.#predictionName,
    );
  }

  /** Counts one event: its feature values by name, and its prediction when profiled. */
  updateRow(features: Readonly<Record<string, unknown>>, prediction?: unknown): void {
    this.rows++;
    const windows = this.features;
    const absent = this.presence.absent;
    let present = 0;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i] as FeatureWindow;
      const value = features[window.name];
      if (value !== undefined || window.name in features) present++;
      else absent[i] = (absent[i] as number) + 1;
      window.update(value);
    }
    const predictionKey = this.#predictionName !== null && this.#predictionName in features;
    this.presence.countRow(features, present, predictionKey);
    if (this.prediction !== null) this.prediction.update(prediction);
  }

  /**
   * Counts the selected rows of a column batch; the same counts as `updateRow` on each
   * event, faster. A column whose kind differs from its profile feature's (a profile
   * uploaded with other kinds) is counted cell by cell through `update`.
   */
  updateColumns(batch: ColumnBatch, rows: RowSelection): void {
    const n = selectedCount(rows, batch.length);
    if (n === 0) return;
    this.rows += n;
    const byName = new Map<string, number>();
    batch.features.forEach((column, index) => byName.set(column.name, index));
    const selected = rows === null ? null : selectionMask(rows, batch.length);
    const absent = this.presence.absent;
    let absentAll = false;
    // Rows lacking some profiled feature, when only some rows do.
    let lacking: Uint8Array | null = null;
    for (let i = 0; i < this.features.length; i++) {
      const window = this.features[i] as FeatureWindow;
      const index = byName.get(window.name);
      if (index === undefined) {
        absentAll = true;
        absent[i] = (absent[i] as number) + n;
        window.addMissing(n);
        continue;
      }
      const column = batch.features[index] as Column;
      if (window.kind === "numerical" && column.kind === "numerical") window.updateValues(column.values, rows);
      else if (window.kind === "categorical" && column.kind === "categorical") window.updateCodes(column.codes, column.dictionary, rows);
      else for (let r = 0; r < n; r++) window.update(rawCell(column, rows === null ? r : (rows[r] as number)));
      const absentRows = batch.absentRows?.[index];
      if (absentRows) {
        let count = 0;
        for (const r of absentRows) {
          if (selected !== null && selected[r] !== 1) continue;
          count++;
          (lacking ??= new Uint8Array(batch.length))[r] = 1;
        }
        absent[i] = (absent[i] as number) + count;
      }
    }
    this.#countUnknown(batch, selected, n, absentAll ? n : countMarked(lacking));
    const prediction = this.prediction;
    if (prediction !== null) for (let r = 0; r < n; r++) prediction.update(batch.predictions[rows === null ? r : (rows[r] as number)]);
  }

  /**
   * Keys outside the profile: a column the profile lacks is carried by every row; keys
   * the batch lists per row (outside its columns) by those rows.
   */
  #countUnknown(batch: ColumnBatch, selected: Uint8Array | null, n: number, rowsMissing: number): void {
    const presence = this.presence;
    const unknown = new Map<string, number>();
    for (const column of batch.features) if (!presence.isKnown(column.name)) unknown.set(column.name, n);
    let rowsWithUnknown = unknown.size > 0 ? n : 0;
    const unknownRows = batch.unknownRows;
    const unknownKeys = batch.unknownKeys;
    if (unknownRows !== undefined && unknownKeys !== undefined) {
      let lastRow = -1;
      for (let i = 0; i < unknownRows.length; i++) {
        const r = unknownRows[i] as number;
        const key = unknownKeys[i] as string;
        if ((selected !== null && selected[r] !== 1) || presence.isKnown(key)) continue;
        unknown.set(key, (unknown.get(key) ?? 0) + 1);
        // Rows are ascending, so a row's keys are consecutive; every row already counts when a column is unknown.
        if (r !== lastRow && rowsWithUnknown < n) rowsWithUnknown++;
        lastRow = r;
      }
    }
    presence.countBatch(rowsMissing, rowsWithUnknown, unknown);
  }

  /** Adds another window built on the same profile (e.g. a 1-minute bucket into an hour). */
  merge(other: WindowState): void {
    if (other.features.length !== this.features.length) throw new Error("cannot merge windows of different profiles");
    this.features.forEach((window, i) => mergeFeature(window, other.features[i] as FeatureWindow));
    if (this.prediction !== null && other.prediction !== null) mergeFeature(this.prediction, other.prediction);
    this.presence.merge(other.presence);
    this.rows += other.rows;
  }

  toBytes(): Uint8Array {
    const out = new ByteWriter();
    out.u8(WINDOW_FORMAT_VERSION);
    out.u8(WINDOW_STATE_FAMILY);
    out.varint(this.rows);
    out.varint(this.features.length);
    for (const window of this.features) {
      out.string(window.name);
      window.write(out);
    }
    out.u8(this.prediction === null ? 0 : 1);
    this.prediction?.write(out);
    this.presence.write(out);
    return out.finish();
  }

  static fromBytes(bytes: Uint8Array, profile: Profile): WindowState {
    const input = new ByteReader(bytes);
    const version = input.u8();
    const family = input.u8();
    if (family !== WINDOW_STATE_FAMILY && family !== LEGACY_FAMILY.windowState) {
      throw new Error(`not a window state: family ${familyHex(family)} (expected ${familyHex(WINDOW_STATE_FAMILY)})`);
    }
    // Each family has its versions: 0x10 wrote 1 and 2, 0xD7 starts at 3.
    if (version < OLDEST_WINDOW_FORMAT_VERSION || version > WINDOW_FORMAT_VERSION || windowFamilies(version).windowState !== family) {
      throw new Error(`unsupported window state version ${version} for family ${familyHex(family)}`);
    }
    const rows = input.varint();
    const count = input.varint();
    if (count !== profile.features.length) {
      throw new Error(`window state has ${count} features, profile has ${profile.features.length}`);
    }
    const features = profile.features.map((feature) => {
      const name = input.string();
      if (name !== feature.name) throw new Error(`window state feature "${name}" where the profile has "${feature.name}"`);
      return readFeature(input, feature, version);
    });
    const hasPrediction = input.u8() === 1;
    if (hasPrediction !== (profile.prediction !== null)) throw new Error("window state and profile disagree on the prediction column");
    const prediction = profile.prediction === null ? null : readFeature(input, profile.prediction, version);
    const state = new WindowState(profile, features, prediction);
    state.rows = rows;
    if (version >= 2) state.presence.read(input);
    else state.presence.uncheckedRows = rows;
    if (!input.done) throw new Error("trailing bytes after window state");
    return state;
  }

  toBase64(): string {
    return bytesToBase64(this.toBytes());
  }

  static fromBase64(text: string, profile: Profile): WindowState {
    return WindowState.fromBytes(bytesFromBase64(text), profile);
  }
}

function readFeature(input: ByteReader, feature: FeatureProfile, version: number): FeatureWindow {
  return feature.kind === "numerical" ? NumericalWindow.read(input, feature, version) : CategoricalWindow.read(input, feature, version);
}

function selectionMask(rows: Int32Array, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const r of rows) mask[r] = 1;
  return mask;
}

function countMarked(marks: Uint8Array | null): number {
  if (marks === null) return 0;
  let count = 0;
  for (const m of marks) count += m;
  return count;
}

function mergeFeature(into: FeatureWindow, from: FeatureWindow): void {
  if (into.kind === "numerical" && from.kind === "numerical") into.merge(from);
  else if (into.kind === "categorical" && from.kind === "categorical") into.merge(from);
  else throw new Error(`feature "${into.name}": cannot merge a ${from.kind} window into a ${into.kind} one`);
}
