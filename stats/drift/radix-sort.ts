// Ascending sort of doubles by their bits (LSD radix sort, four 16-bit digits), in the
// order Float64Array.prototype.sort gives: -Infinity … -0, 0 … Infinity. The two sorts of
// every numerical column pair were 17–24% of a `vigil drift` run on 1M rows; this takes
// about half the time of the built-in comparison sort there (docs/benchmarks.md).
//
// A double's bits order like the number once the sign bit is flipped for positives and
// every bit is flipped for negatives; a digit that is the same for every value (often the
// low ones of integers) costs no pass. NaN has no place in that order, so input holding
// one goes to the built-in sort, which puts NaN last.
//
// Fresh memory is much of what a sort of a million values costs where the first touch of a
// 4 KiB page takes 17–24 µs, as on some of the VMs here (2.5 µs on others; docs/benchmarks.md,
// "Fresh memory per column"), so the only new array is the result. The keys are written straight into whichever of the
// result and the scratch buffer the passes' ping-pong starts from, so that the last pass
// lands in the result; the scratch buffer and the four count tables are module state,
// reused by every sort on this thread (each worker thread has its own module instance) and
// grown to the longest column sorted so far. They hold nothing between calls. The result
// itself is made in the memory of an earlier result when its owner hands that back
// (recycleSorted: computeDrift does once a column's tests are done), rather than left to
// the garbage collector, which in a `vigil drift` worker freed it too late for the next
// column's sorts to reuse it (two fresh 8 MB arrays per column).

const DIGITS = 65536;
// Below this the built-in sort is as fast, and the four count tables are not worth it.
const MIN_RADIX_LENGTH = 4096;

let scratch = new Float64Array(0);
// Results handed back, at most two (a column pair's): their memory holds the next results.
const spares: Float64Array[] = [];
const MAX_SPARES = 2;
let counts: readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array] | undefined;

/** The thread's scratch buffer, at least `n` long (its contents are garbage). */
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
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

/** The four digit count tables, zeroed. */
function zeroedCounts(): readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array] {
  if (counts === undefined) counts = [new Uint32Array(DIGITS), new Uint32Array(DIGITS), new Uint32Array(DIGITS), new Uint32Array(DIGITS)];
  else for (const count of counts) count.fill(0);
  return counts;
}

/** A sorted copy of `values` (left unchanged). */
export function sortedCopy(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < MIN_RADIX_LENGTH) return values.slice().sort();
  const counts = zeroedCounts();
  // Little-endian words: [2i] holds the low 32 bits, [2i + 1] the sign, exponent and top of the mantissa.
  const valueWords = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  // Every digit of the keys is counted first, without writing: the number of passes
  // decides which buffer the keys must start in.
  if (!countDigits(values, valueWords, counts)) return values.slice().sort();
  const passes: number[] = [];
  for (let digit = 0; digit < 4; digit++) if (toOffsets(counts[digit] as Uint32Array, n)) passes.push(digit);
  const result = resultOf(n);
  const resultWords = new Uint32Array(result.buffer, 0, 2 * n);
  const scratchWords = new Uint32Array(scratchOf(n).buffer, 0, 2 * n);
  // An even number of passes ends where it starts: start in the result then.
  let sourceWords = passes.length % 2 === 0 ? resultWords : scratchWords;
  let targetWords = passes.length % 2 === 0 ? scratchWords : resultWords;
  writeKeys(valueWords, sourceWords, n);
  for (const digit of passes) {
    scatter(sourceWords, targetWords, n, counts[digit] as Uint32Array, digit >> 1, (digit & 1) * 16);
    [sourceWords, targetWords] = [targetWords, sourceWords];
  }
  // The last pass wrote to the result.
  keysToDoubles(resultWords, n);
  return result;
}

// Each loop is a function of its own: V8 then optimises each once, where one function
// holding all of them was recompiled and deoptimised again and again in a fresh process
// (each loop is entered on-stack before the ones after it have any type feedback).

/** Counts the four 16-bit digits of every key; false when a value is NaN (the counts are then garbage). */
function countDigits(values: Float64Array, words: Uint32Array, counts: readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array]): boolean {
  const [c0, c1, c2, c3] = counts;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return false;
    let low = words[2 * i] as number;
    let high = words[2 * i + 1] as number;
    if (high & 0x80000000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
    } else high = (high | 0x80000000) >>> 0;
    c0[low & 0xffff] = (c0[low & 0xffff] as number) + 1;
    c1[low >>> 16] = (c1[low >>> 16] as number) + 1;
    c2[high & 0xffff] = (c2[high & 0xffff] as number) + 1;
    c3[high >>> 16] = (c3[high >>> 16] as number) + 1;
  }
  return true;
}

/** Keys back to the doubles they were made from, in place. */
function keysToDoubles(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + 1] as number;
    if (high & 0x80000000) words[2 * i + 1] = high & 0x7fffffff;
    else {
      words[2 * i + 1] = ~high >>> 0;
      words[2 * i] = ~(words[2 * i] as number) >>> 0;
    }
  }
}

/** The sortable keys of the doubles in `from`, written to `to` (both as word pairs). */
function writeKeys(from: Uint32Array, to: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const low = from[2 * i] as number;
    const high = from[2 * i + 1] as number;
    if (high & 0x80000000) {
      to[2 * i] = ~low >>> 0;
      to[2 * i + 1] = ~high >>> 0;
    } else {
      to[2 * i] = low;
      to[2 * i + 1] = (high | 0x80000000) >>> 0;
    }
  }
}

/** Turns digit counts into start offsets; false when one digit holds every value (nothing to move). */
function toOffsets(count: Uint32Array, n: number): boolean {
  let sum = 0;
  let spread = true;
  for (let d = 0; d < DIGITS; d++) {
    const c = count[d] as number;
    if (c === n) spread = false;
    count[d] = sum;
    sum += c;
  }
  return spread;
}

/** One stable pass on the 16-bit digit at `shift` of word `word` (0 low, 1 high). */
function scatter(source: Uint32Array, target: Uint32Array, n: number, offsets: Uint32Array, word: number, shift: number): void {
  for (let i = 0; i < n; i++) {
    const low = source[2 * i] as number;
    const high = source[2 * i + 1] as number;
    const d = ((word === 0 ? low : high) >>> shift) & 0xffff;
    const at = offsets[d] as number;
    offsets[d] = at + 1;
    target[2 * at] = low;
    target[2 * at + 1] = high;
  }
}
