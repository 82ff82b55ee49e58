// Binary form of a KLL sketch: Vigil's own layout, family 0xCB, serial version 2.
//
// Why a family id of our own: version 1 of this format wrote family 0x0F, which is Apache
// DataSketches' KLL family, though the layout is not DataSketches' (theirs starts with a
// preamble-ints byte and keeps the family at offset 2, and the body differs). Bytes that
// claim a family they do not follow invite a DataSketches reader, or a person with its
// docs, to misread them. Vigil's ids are ≥ 0x80, outside DataSketches' range for good;
// all of them, with that reason, are registered in family-ids.ts.
//
// Versions (the family and version bytes together name the layout):
//   family 0x0F, version 1: the layout below under DataSketches' family id. Written
//     until the family changed; still read, because such sketches are stored in Durable
//     Object SQLite (window buckets, latency) and in Postgres baselines (profile JSON).
//   family 0xCB, version 2: the same layout under Vigil's family id. Written now.
// All multi-byte fields little-endian:
//   0  u8   family = 0xCB (0x0F in version 1)
//   1  u8   serial version = 2 (1 under family 0x0F)
//   2  u8   flags: bit 0 = empty
//   3  u8   numLevels L (1..61)
//   4  u16  k
//   6  u16  reserved, 0
//   8  u64  n
//  16  f64  min (NaN when empty)
//  24  f64  max (NaN when empty)
//  32  u32 × (L+1)  level boundaries, relative to the first retained item (first is 0)
//  ..  f64 × retained  items, level 0 first
// Read-side checks: family and version, lengths, monotone boundaries, levels ≥ 1
// sorted, and Σ size_h·2^h = n (compaction conserves total weight exactly).

import { familyHex, LEGACY_FAMILY, VIGIL_FAMILY } from "./family-ids.ts";

export const KLL_FAMILY = VIGIL_FAMILY.kll;
export const KLL_SERIAL_VERSION = 2;
/** DataSketches' KLL family id, which version 1 wrote (see header); read, never written. */
export const LEGACY_KLL_FAMILY = LEGACY_FAMILY.kll;
export const LEGACY_KLL_SERIAL_VERSION = 1;
const HEADER_BYTES = 32;
const FLAG_EMPTY = 1;

export interface KllState {
  k: number;
  n: number;
  min: number;
  max: number;
  /** Boundaries relative to the first retained item; length numLevels + 1. */
  levels: number[];
  items: Float64Array;
}

export function encodeKll(state: KllState): Uint8Array {
  const numLevels = state.levels.length - 1;
  const size = HEADER_BYTES + 4 * state.levels.length + 8 * state.items.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, KLL_FAMILY);
  view.setUint8(1, KLL_SERIAL_VERSION);
  view.setUint8(2, state.n === 0 ? FLAG_EMPTY : 0);
  view.setUint8(3, numLevels);
  view.setUint16(4, state.k, true);
  view.setBigUint64(8, BigInt(state.n), true);
  view.setFloat64(16, state.min, true);
  view.setFloat64(24, state.max, true);
  let at = HEADER_BYTES;
  for (const b of state.levels) { view.setUint32(at, b, true); at += 4; }
  for (const x of state.items) { view.setFloat64(at, x, true); at += 8; }
  return bytes;
}

export function decodeKll(bytes: Uint8Array): KllState {
  if (bytes.length < HEADER_BYTES) throw new Error(`KLL sketch too short: ${bytes.length} bytes, header needs ${HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const family = view.getUint8(0);
  if (family !== KLL_FAMILY && family !== LEGACY_KLL_FAMILY) throw new Error(`not a KLL sketch: family byte ${familyHex(family)}`);
  const version = view.getUint8(1);
  const expectedVersion = family === KLL_FAMILY ? KLL_SERIAL_VERSION : LEGACY_KLL_SERIAL_VERSION;
  if (version !== expectedVersion) throw new Error(`unsupported KLL serial version ${version} for family ${familyHex(family)}`);
  const flags = view.getUint8(2);
  const numLevels = view.getUint8(3);
  const k = view.getUint16(4, true);
  if (k < 8) throw new Error(`corrupt KLL sketch: k must be >= 8 and <= 65535: ${k}`);
  if (numLevels < 1 || numLevels > 61) throw new Error(`corrupt KLL sketch: numLevels ${numLevels}`);
  const nBig = view.getBigUint64(8, true);
  if (nBig > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`corrupt KLL sketch: n ${nBig} exceeds 2^53`);
  const n = Number(nBig);
  const min = view.getFloat64(16, true);
  const max = view.getFloat64(24, true);
  if (((flags & FLAG_EMPTY) !== 0) !== (n === 0)) throw new Error(`corrupt KLL sketch: empty flag disagrees with n = ${n}`);
  const levelsEnd = HEADER_BYTES + 4 * (numLevels + 1);
  if (bytes.length < levelsEnd) throw new Error(`KLL sketch truncated: ${bytes.length} bytes, levels need ${levelsEnd}`);
  const levels: number[] = [];
  for (let h = 0; h <= numLevels; h++) levels.push(view.getUint32(HEADER_BYTES + 4 * h, true));
  if (levels[0] !== 0) throw new Error(`corrupt KLL sketch: first level boundary ${levels[0]} is not 0`);
  let weight = 0;
  for (let h = 0; h < numLevels; h++) {
    if (levels[h + 1]! < levels[h]!) throw new Error(`corrupt KLL sketch: level boundaries decrease at level ${h}`);
    weight += (levels[h + 1]! - levels[h]!) * 2 ** h;
  }
  const retained = levels[numLevels]!;
  const expected = levelsEnd + 8 * retained;
  if (bytes.length !== expected) throw new Error(`KLL sketch length ${bytes.length} does not match ${expected} expected for ${retained} items`);
  if (weight !== n) throw new Error(`corrupt KLL sketch: retained weight ${weight} does not equal n = ${n}`);
  const items = new Float64Array(retained);
  for (let i = 0; i < retained; i++) {
    const x = view.getFloat64(levelsEnd + 8 * i, true);
    if (!Number.isFinite(x)) throw new Error(`corrupt KLL sketch: item ${i} is not finite`);
    items[i] = x;
  }
  for (let h = 1; h < numLevels; h++) {
    for (let i = levels[h]! + 1; i < levels[h + 1]!; i++) {
      if (items[i - 1]! > items[i]!) throw new Error(`corrupt KLL sketch: level ${h} is not sorted`);
    }
  }
  if (n > 0) {
    if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new Error(`corrupt KLL sketch: min ${min} / max ${max}`);
  }
  return { k, n, min, max, levels, items };
}
