// Label lookup for the CSV kernel (csv-kernel.ts): a cell is hashed as
// stats/io/label-codes.ts hashes it and looked up in a mirror of the column's label
// table, which stats/io/csv-kernel.ts writes: at its base a header, slots, then by code
// the hash, length, pool offset and first two zero-padded words, then the labels' bytes.

const SLOTS = 8192;
const MAX_CODES = 4097;
const TABLE_SLOTS = 16;
const TABLE_HASHES = TABLE_SLOTS + SLOTS * 4;
const TABLE_LENGTHS = TABLE_HASHES + MAX_CODES * 4;
const TABLE_STARTS = TABLE_LENGTHS + MAX_CODES * 4;
const TABLE_FIRST_WORDS = TABLE_STARTS + MAX_CODES * 4;
const TABLE_SECOND_WORDS = TABLE_FIRST_WORDS + MAX_CODES * 4;

/** One step of label-codes.ts's cell hash over a little-endian, zero-padded 4-byte word. */
// @ts-ignore: decorator
@inline
function mixWord(hash: u32, word: u32): u32 {
  const mixed = (hash ^ word) * 0x9e3779b1;
  return mixed ^ (mixed >> 15);
}

/** The code of the label bytes[start, stop) in the table mirror at `table`; 0 when it is not there. */
// @ts-ignore: decorator
@inline
export function labelCode(start: usize, stop: usize, table: usize): i32 {
  const length = <i32>(stop - start);
  if (length > 8) return longLabelCode(start, stop, table);
  // Up to 8 bytes: two zero-padded words, hashed and compared without a loop.
  const lowLength = length < 4 ? length : 4;
  const first = load<u32>(start) & lowMask(lowLength);
  const second = load<u32>(start + 4) & lowMask(length - lowLength);
  const once = mixWord(0x2c9277b5, first);
  let hash = select<u32>(mixWord(once, second), once, length > 4);
  hash = select<u32>(hash, 0x2c9277b5, length > 0);
  hash = (hash ^ <u32>length) * 0x85ebca6b;
  let slot = hash & (SLOTS - 1);
  let code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  while (code !== 0) {
    const at = <usize>code << 2;
    // Up to 8 bytes, the length and the two words are the label (the hash adds nothing).
    if (load<i32>(table + TABLE_LENGTHS + at) === length && load<u32>(table + TABLE_FIRST_WORDS + at) === first && load<u32>(table + TABLE_SECOND_WORDS + at) === second) {
      return code;
    }
    slot = (slot + 1) & (SLOTS - 1);
    code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  }
  return 0;
}

/** The bytes of a word to keep: the low `count` (0 to 4). */
// @ts-ignore: decorator
@inline
function lowMask(count: i32): u32 {
  return <u32>((<u64>1 << (<u64>count << 3)) - 1);
}

function longLabelCode(start: usize, stop: usize, table: usize): i32 {
  const length = <i32>(stop - start);
  let hash: u32 = 0x2c9277b5;
  let position = start;
  while (position + 4 <= stop) {
    hash = mixWord(hash, load<u32>(position));
    position += 4;
  }
  const tail = <u32>(stop - position);
  if (tail > 0) hash = mixWord(hash, load<u32>(position) & ((<u32>1 << (tail * 8)) - 1));
  hash = (hash ^ <u32>length) * 0x85ebca6b;
  let slot = hash & (SLOTS - 1);
  let code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  while (code !== 0) {
    const at = <usize>code << 2;
    if (load<u32>(table + TABLE_HASHES + at) === hash && load<i32>(table + TABLE_LENGTHS + at) === length) {
      if (sameBytes(table + <usize>load<i32>(table + TABLE_STARTS + at), start, length)) return code;
    }
    slot = (slot + 1) & (SLOTS - 1);
    code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  }
  return 0;
}

function sameBytes(a: usize, b: usize, length: i32): bool {
  let index = 0;
  for (; index + 8 <= length; index += 8) {
    if (load<u64>(a + <usize>index) !== load<u64>(b + <usize>index)) return false;
  }
  for (; index < length; index++) {
    if (load<u8>(a + <usize>index) !== load<u8>(b + <usize>index)) return false;
  }
  return true;
}
