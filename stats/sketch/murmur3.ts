// MurmurHash3_x86_32 (Austin Appleby, public domain; reference: SMHasher's
// MurmurHash3.cpp) over the UTF-8 bytes of a string. Two seeds give the 64 hash
// bits HyperLogLog needs, so ranks do not saturate before ~10^18 distinct values.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** UTF-8 bytes of `text` in a reused buffer (valid until the next call); returns the length. */
function utf8(text: string): number {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return encoder.encodeInto(text, scratch).written;
    scratch[i] = c;
  }
  return text.length;
}

export function murmur3Bytes(bytes: Uint8Array, length: number, seed: number): number {
  let h = seed | 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function murmur3(text: string, seed = 0): number {
  const length = utf8(text);
  return murmur3Bytes(scratch, length, seed);
}

export const HASH_SEED_HI = 0x9747b28c;
export const HASH_SEED_LO = 0x5bd1e995;

/** 64 hash bits as two unsigned 32-bit halves; the string is encoded once. */
export function hash64(text: string): [hi: number, lo: number] {
  const length = utf8(text);
  return [murmur3Bytes(scratch, length, HASH_SEED_HI), murmur3Bytes(scratch, length, HASH_SEED_LO)];
}
