// KLL compactor arithmetic, after Apache DataSketches' KllHelper (Java, Apache-2.0),
// which implements Karnin, Lang & Liberty (2016), "Optimal Quantile Approximation in
// Streams", FOCS. Items of all levels live in one Float64Array; levels[h]..levels[h+1]
// holds level h, whose items each weigh 2^h. Level 0 sits at the top of the used
// region and grows downwards into the free space at index 0.
import type { RandomBits } from "./random-bits.ts";

/** Minimum level width (DataSketches' m): levels never shrink below 8 slots. */
export const MIN_LEVEL_WIDTH = 8;

/**
 * Capacity of level `height` when the sketch has `numLevels` levels:
 * max(m, round(k·(2/3)^depth)) with depth = numLevels − height − 1, so the top
 * level holds k items and lower levels shrink geometrically (KLL section 3).
 * Integer arithmetic as in DataSketches' intCapAux, so capacities match theirs.
 */
export function levelCapacity(k: number, numLevels: number, height: number): number {
  // Past the table every k ≤ 65535 has shrunk to the minimum width ((3/2)^28 > 65535).
  return capacitiesFor(k)[numLevels - height - 1] ?? MIN_LEVEL_WIDTH;
}

// Capacities by depth for one k, computed once: the update and merge loops ask often.
const MAX_DEPTH = 64;
const capacityTables = new Map<number, Int32Array>();

function capacitiesFor(k: number): Int32Array {
  let table = capacityTables.get(k);
  if (!table) {
    table = new Int32Array(MAX_DEPTH);
    for (let depth = 0; depth < MAX_DEPTH; depth++) table[depth] = Math.max(MIN_LEVEL_WIDTH, capacityAtDepth(k, depth));
    capacityTables.set(k, table);
  }
  return table;
}

function capacityAtDepth(k: number, depth: number): number {
  if (depth <= 30) return capacityAtSmallDepth(k, depth);
  const half = Math.floor(depth / 2);
  return capacityAtSmallDepth(capacityAtSmallDepth(k, half), depth - half);
}

// (2k·2^depth / 3^depth + 1) / 2 with integer division: round(k·(2/3)^depth).
// 2k·2^30 < 2^53, so doubles hold these integers exactly.
function capacityAtSmallDepth(k: number, depth: number): number {
  const twiceK = 2 * k;
  const scaled = Math.floor((twiceK * 2 ** depth) / 3 ** depth);
  return Math.floor((scaled + 1) / 2);
}

export function totalCapacity(k: number, numLevels: number): number {
  let total = 0;
  for (let h = 0; h < numLevels; h++) total += levelCapacity(k, numLevels, h);
  return total;
}

/** Keeps every other item of a sorted run, written to the run's upper half. */
export function halveUp(buf: Float64Array, start: number, length: number, bits: RandomBits): void {
  const half = length / 2;
  const offset = bits.nextBit();
  let j = start + length - 1 - offset;
  for (let i = start + length - 1; i >= start + half; i--) {
    buf[i] = buf[j]!;
    j -= 2;
  }
}

/** Keeps every other item of a sorted run, written to the run's lower half. */
export function halveDown(buf: Float64Array, start: number, length: number, bits: RandomBits): void {
  const half = length / 2;
  const offset = bits.nextBit();
  let j = start + offset;
  for (let i = start; i < start + half; i++) {
    buf[i] = buf[j]!;
    j += 2;
  }
}

/**
 * Merges two sorted runs into `dst`. Safe in place when the destination starts
 * at or after run a's end and b follows it, as in a compaction, because the write
 * index never passes an unread item of b.
 */
export function mergeSorted(
  a: Float64Array, aStart: number, aLength: number,
  b: Float64Array, bStart: number, bLength: number,
  dst: Float64Array, dstStart: number,
): void {
  const aEnd = aStart + aLength;
  const bEnd = bStart + bLength;
  let i = aStart;
  let j = bStart;
  let out = dstStart;
  while (i < aEnd && j < bEnd) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) { dst[out++] = x; i++; } else { dst[out++] = y; j++; }
  }
  while (i < aEnd) dst[out++] = a[i++]!;
  while (j < bEnd) dst[out++] = b[j++]!;
}

/**
 * Compacts levels bottom-up until the retained count fits the capacity of the
 * (possibly grown) level stack; DataSketches' generalCompress. `inLevels` must
 * have room for two more entries than levels. Works in place (`buf` is both
 * input and output). Returns the new level count and the boundaries in `outLevels`.
 */
export function generalCompress(
  k: number, numLevelsIn: number, buf: Float64Array,
  inLevels: number[], outLevels: number[], bits: RandomBits,
): { numLevels: number; capacity: number; retained: number } {
  let numLevels = numLevelsIn;
  let retained = inLevels[numLevels]! - inLevels[0]!;
  let capacity = totalCapacity(k, numLevels);
  inLevels[numLevels + 1] = inLevels[numLevels]!;
  outLevels[0] = 0;
  let level = -1;
  while (level < numLevels - 1) {
    level++;
    if (level === numLevels - 1) inLevels[level + 2] = inLevels[level + 1]!;
    const rawBeg = inLevels[level]!;
    const rawEnd = inLevels[level + 1]!;
    const rawPop = rawEnd - rawBeg;
    const out = outLevels[level]!;
    if (retained < capacity || rawPop < levelCapacity(k, numLevels, level)) {
      buf.copyWithin(out, rawBeg, rawEnd);
      outLevels[level + 1] = out + rawPop;
      continue;
    }
    const popAbove = inLevels[level + 2]! - rawEnd;
    const oddPop = rawPop % 2 === 1;
    const adjBeg = oddPop ? rawBeg + 1 : rawBeg;
    const adjPop = oddPop ? rawPop - 1 : rawPop;
    const halfAdjPop = adjPop / 2;
    if (oddPop) {
      buf[out] = buf[rawBeg]!;
      outLevels[level + 1] = out + 1;
    } else {
      outLevels[level + 1] = out;
    }
    if (level === 0) buf.subarray(adjBeg, adjBeg + adjPop).sort();
    if (popAbove === 0) {
      halveUp(buf, adjBeg, adjPop, bits);
    } else {
      halveDown(buf, adjBeg, adjPop, bits);
      mergeSorted(buf, adjBeg, halfAdjPop, buf, rawEnd, popAbove, buf, adjBeg + halfAdjPop);
    }
    retained -= halfAdjPop;
    inLevels[level + 1] = inLevels[level + 1]! - halfAdjPop;
    if (level === numLevels - 1) {
      numLevels++;
      capacity += levelCapacity(k, numLevels, 0);
    }
  }
  return { numLevels, capacity, retained };
}
