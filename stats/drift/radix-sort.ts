// Ascending sort of doubles by their bits, in the order Float64Array.prototype.sort gives:
// -Infinity … -0, 0 … Infinity. The two sorts of every numerical column pair are the
// largest cost of a `vigil drift` run's tests on 1M rows (docs/benchmarks.md).
//
// A double's bits order like the number once the sign bit is flipped for positives and
// every bit is flipped for negatives (the "key"). This is a most-significant-digit radix
// sort on those keys whose digit always starts at the highest bit on which the keys of the
// range still differ (their OR xor their AND): a digit is never spent on bits that every
// value shares (the exponent of data within one binade, the zero low bits of integers),
// and a range whose keys are all equal (ties) costs one read. The first level moves the
// whole column once, into 65536 buckets (a 16-bit digit still leaves data that spans the
// sign and several binades, like a standard normal, in buckets small enough for the
// cache; 11 bits left it two more passes over memory); each bucket is then sorted in
// cache by the same rule with a digit sized to it, down to ranges of at most SMALL values,
// which insertion sort finishes. Each level consumes at least four key bits, so the depth
// is at most 16 and the work O(16 n) even for adversarial bit patterns. On 1M values
// (scripts/bench/sort.bench.ts) it takes 55–80 % of the time of the LSD sort with four
// 16-bit digits used before (whose four full scatters each missed the cache on nearly
// every write), and a quarter of the built-in sort's.
//
// -0 and 0 have different keys that differ in the top bit, so they land in different
// first-level buckets and insertion sort (which cannot tell them apart) never sees both.
// NaN has no place in the order: input holding one goes to the built-in sort, which puts
// NaN last.
//
// Fresh memory is much of what a sort of a million values costs where the first touch of a
// 4 KiB page is slow, as on some of the VMs here (docs/benchmarks.md, "Fresh memory per
// column"), so the only new array is the result. The scratch buffer and the count tables are
// module state, reused by every sort on this thread (each worker thread has its own module
// instance) and grown to the longest column sorted so far; they hold nothing between
// calls. The result itself is made in the memory of an earlier result when its owner hands
// that back (recycleSorted: computeDrift does once a column's tests are done), rather than
// left to the garbage collector, which in a `vigil drift` worker freed it too late for the
// next column's sorts to reuse it (two fresh 8 MB arrays per column).

const FIRST_LEVEL_BITS = 16;
const MAX_DIGIT_BITS = 11;
// Ranges this short are finished by insertion sort.
const SMALL = 32;
// Below this the built-in sort is as fast.
const MIN_RADIX_LENGTH = 4096;
const SIGN = 0x80000000;
const EXPONENT_ALL_ONES = 0x7ff00000;

let scratch = new Float64Array(0);
// Results handed back, at most two (a column pair's): their memory holds the next results.
const spares: Float64Array[] = [];
const MAX_SPARES = 2;
// One count table per recursion depth: a level's offsets are read while deeper levels run.
const countsByDepth: Uint32Array[] = [];

/** The thread's scratch buffer, at least `n` long (its contents are garbage). */
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

function countsAt(depth: number, size: number): Uint32Array {
  let counts = countsByDepth[depth];
  if (counts === undefined) {
    counts = new Uint32Array(1 << (depth === 0 ? FIRST_LEVEL_BITS : MAX_DIGIT_BITS));
    countsByDepth[depth] = counts;
  }
  counts.fill(0, 0, size);
  return counts;
}

/**
 * Hands back an array sortedCopy returned, for its memory to hold a later result. The
 * caller must be its only reader and must not read it again: the next sort overwrites it.
 */
export function recycleSorted(sorted: Float64Array): void {
  if (sorted.length < MIN_RADIX_LENGTH || spares.length >= MAX_SPARES || spares.some((spare) => spare.buffer === sorted.buffer)) return;
  spares.push(sorted);
}

/** Room for a result of `n` values: a spare that holds it without wasting more than half, else a new array. */
function resultOf(n: number): Float64Array {
  const bytes = n * Float64Array.BYTES_PER_ELEMENT;
  const index = spares.findIndex((spare) => spare.buffer.byteLength >= bytes && spare.buffer.byteLength <= 2 * bytes);
  if (index < 0) return new Float64Array(n);
  const [spare] = spares.splice(index, 1) as [Float64Array];
  return new Float64Array(spare.buffer, 0, n);
}

/** A sorted copy of `values` (left unchanged). */
export function sortedCopy(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < MIN_RADIX_LENGTH) return values.slice().sort();
  // Little-endian words: [2i] holds the low 32 bits, [2i + 1] the sign, exponent and top of the mantissa.
  const valueWords = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const shift = digitShift(valueWords, 0, n, FIRST_LEVEL_BITS);
  if (shift === HAS_NAN) return values.slice().sort();
  const result = resultOf(n);
  if (shift === ALL_EQUAL) {
    result.set(values);
    return result;
  }
  const size = 1 << FIRST_LEVEL_BITS;
  const ends = countsAt(0, size);
  distribute(values, valueWords, result, 0, n, shift, size - 1, ends);
  const resultWords = new Uint32Array(result.buffer, result.byteOffset, 2 * n);
  const buffer = scratchOf(n);
  sortBuckets(result, resultWords, buffer, ends, size, 0, 1);
  return result;
}

/** Sorts each of the `size` buckets of a that end at ends[digit], the first starting at `start`. */
function sortBuckets(a: Float64Array, words: Uint32Array, buffer: Float64Array, ends: Uint32Array, size: number, start: number, depth: number): void {
  let lo = start;
  for (let digit = 0; digit < size; digit++) {
    const hi = ends[digit] as number;
    if (hi - lo > SMALL) sortRange(a, words, buffer, lo, hi, depth);
    else if (hi - lo > 1) insertionSort(a, lo, hi);
    lo = hi;
  }
}

/** Sorts a[lo, hi) (longer than SMALL) in place, moving it through `buffer` (the same indices). */
function sortRange(a: Float64Array, words: Uint32Array, buffer: Float64Array, lo: number, hi: number, depth: number): void {
  const n = hi - lo;
  // Two to four values per bucket on average: the next level is mostly insertion sorts of a few.
  const bits = Math.min(MAX_DIGIT_BITS, 30 - Math.clz32(n));
  const shift = digitShift(words, lo, hi, bits);
  if (shift < 0) return; // all equal (NaN was ruled out for the whole column)
  const size = 1 << bits;
  const ends = countsAt(depth, size);
  distribute(a, words, buffer, lo, hi, shift, size - 1, ends, lo);
  a.set(buffer.subarray(lo, hi), lo);
  sortBuckets(a, words, buffer, ends, size, lo, depth + 1);
}

// Each loop is a function of its own: V8 then optimises each once, where one function
// holding all of them was recompiled and deoptimised again and again in a fresh process
// (each loop is entered on-stack before the ones after it have any type feedback).

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const value = a[i] as number;
    let j = i - 1;
    while (j >= lo && (a[j] as number) > value) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = value;
  }
}

const ALL_EQUAL = -1;
const HAS_NAN = -2;

/**
 * Where the `bits`-wide digit of the keys in words[lo, hi) starts: it ends at the highest
 * bit on which the keys differ. ALL_EQUAL when no bit differs; HAS_NAN when a value is NaN.
 */
function digitShift(words: Uint32Array, lo: number, hi: number, bits: number): number {
  let orHigh = 0;
  let andHigh = -1;
  let orLow = 0;
  let andLow = -1;
  // Bit 31 set once a value's exponent is all ones (±Infinity or NaN): adding one to the
  // exponent field carries into the sign bit only then.
  let special = 0;
  for (let i = lo; i < hi; i++) {
    const high = (words[2 * i + 1] as number) | 0;
    const flip = high >> 31;
    const keyHigh = high ^ (flip | SIGN);
    const keyLow = (words[2 * i] as number) ^ flip;
    orHigh |= keyHigh;
    andHigh &= keyHigh;
    orLow |= keyLow;
    andLow &= keyLow;
    special |= ((high & EXPONENT_ALL_ONES) + 0x00100000) & SIGN;
  }
  if (special !== 0 && hasNaN(words, lo, hi)) return HAS_NAN;
  const differHigh = (orHigh ^ andHigh) >>> 0;
  const differLow = (orLow ^ andLow) >>> 0;
  const top = differHigh !== 0 ? 63 - Math.clz32(differHigh) : differLow !== 0 ? 31 - Math.clz32(differLow) : -1;
  return top < 0 ? ALL_EQUAL : Math.max(0, top + 1 - bits);
}

function hasNaN(words: Uint32Array, lo: number, hi: number): boolean {
  for (let i = lo; i < hi; i++) {
    const high = (words[2 * i + 1] as number) & 0x7fffffff;
    if (high > EXPONENT_ALL_ONES || (high === EXPONENT_ALL_ONES && words[2 * i] !== 0)) return true;
  }
  return false;
}

/** The high word of a double's key. */
function keyHighOf(high: number): number {
  return (high ^ (((high | 0) >> 31) | SIGN)) >>> 0;
}

/** The digit of a key at `shift` (below 32: a digit held in the high word alone has its own loops), from the double's two words. */
function digitOf(high: number, low: number, shift: number, mask: number): number {
  const flip = (high | 0) >> 31;
  const keyLow = (low ^ flip) >>> 0;
  return shift === 0 ? keyLow & mask : ((keyHighOf(high) << (32 - shift)) | (keyLow >>> shift)) & mask;
}

/**
 * Moves source[lo, hi) to target[lo, hi) grouped by digit, stably; `ends` (zeroed, one
 * entry per digit) is left holding each digit's end in target.
 */
function distribute(source: Float64Array, words: Uint32Array, target: Float64Array, lo: number, hi: number, shift: number, mask: number, ends: Uint32Array, base = 0): void {
  countDigits(words, lo, hi, shift, mask, ends);
  let sum = base;
  for (let digit = 0; digit <= mask; digit++) {
    const count = ends[digit] as number;
    ends[digit] = sum;
    sum += count;
  }
  scatter(source, words, target, lo, hi, shift, mask, ends);
}

function countDigits(words: Uint32Array, lo: number, hi: number, shift: number, mask: number, counts: Uint32Array): void {
  if (shift >= 32) {
    countHighDigits(words, lo, hi, shift - 32, mask, counts);
    return;
  }
  for (let i = lo; i < hi; i++) {
    const digit = digitOf(words[2 * i + 1] as number, words[2 * i] as number, shift, mask);
    counts[digit] = (counts[digit] as number) + 1;
  }
}

function scatter(source: Float64Array, words: Uint32Array, target: Float64Array, lo: number, hi: number, shift: number, mask: number, starts: Uint32Array): void {
  if (shift >= 32) {
    scatterByHighDigits(source, words, target, lo, hi, shift - 32, mask, starts);
    return;
  }
  for (let i = lo; i < hi; i++) {
    const digit = digitOf(words[2 * i + 1] as number, words[2 * i] as number, shift, mask);
    const at = starts[digit] as number;
    starts[digit] = at + 1;
    target[at] = source[i] as number;
  }
}

// The common case: a digit within the sign, exponent and top 20 bits of the mantissa.

function countHighDigits(words: Uint32Array, lo: number, hi: number, shift: number, mask: number, counts: Uint32Array): void {
  for (let i = lo; i < hi; i++) {
    const digit = (keyHighOf(words[2 * i + 1] as number) >>> shift) & mask;
    counts[digit] = (counts[digit] as number) + 1;
  }
}

function scatterByHighDigits(source: Float64Array, words: Uint32Array, target: Float64Array, lo: number, hi: number, shift: number, mask: number, starts: Uint32Array): void {
  for (let i = lo; i < hi; i++) {
    const digit = (keyHighOf(words[2 * i + 1] as number) >>> shift) & mask;
    const at = starts[digit] as number;
    starts[digit] = at + 1;
    target[at] = source[i] as number;
  }
}
