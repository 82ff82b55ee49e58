// Parquet's RLE / bit-packing hybrid encoding, which holds definition levels and
// dictionary indices (parquet-format Encodings.md, "Run Length Encoding / Bit-Packing
// Hybrid (RLE = 3)", https://parquet.apache.org/docs/file-format/data-pages/encodings/):
//
//   encoded-data := run*        run := bit-packed-run | rle-run
//   header       := ULEB128 varint; its lowest bit says which run follows
//   bit-packed   := (header >> 1) groups of 8 values, each `width` bits, packed from the
//                   least significant bit of each byte up (the last group may be padding)
//   rle          := (header >> 1) repeats of one value stored in ceil(width / 8) bytes, little-endian
//
// Decoded straight into an Int32Array: no array of boxed numbers per page.

/** Widths above this are decoded elsewhere (the bit buffer below holds at most 31 bits). */
export const MAX_HYBRID_WIDTH = 24;

/**
 * Decodes `count` values of `width` bits from bytes[offset, end) into out[0, count) and
 * returns the offset after the last run read. Throws when the runs end early.
 */
export function readHybrid(bytes: Uint8Array, offset: number, end: number, width: number, out: Int32Array, count: number): number {
  if (width > MAX_HYBRID_WIDTH) throw new Error(`RLE/bit-packed width ${width} is not supported here`);
  end = Math.min(end, bytes.length); // a length prefix may claim more bytes than the page has
  const valueBytes = (width + 7) >> 3;
  const mask = width === 0 ? 0 : (1 << width) - 1;
  let seen = 0;
  while (seen < count) {
    if (offset >= end) throw new Error(`RLE/bit-packed data ends after ${seen} of ${count} values`);
    let header = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[offset++] as number;
      header += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80 && offset < end);
    const runLength = Math.floor(header / 2);
    if (header % 2 === 1) {
      // Bit-packed: runLength groups of 8 values; padding values past `count` are skipped.
      const values = Math.min(runLength * 8, count - seen);
      const runEnd = offset + runLength * width;
      let buffer = 0;
      let bits = 0;
      let position = offset;
      for (let index = 0; index < values; index++) {
        while (bits < width) {
          if (position >= end) throw new Error("bit-packed run ends early");
          buffer |= (bytes[position++] as number) << bits;
          bits += 8;
        }
        out[seen++] = buffer & mask;
        buffer >>>= width;
        bits -= width;
      }
      offset = Math.min(runEnd, end);
    } else {
      let value = 0;
      for (let index = 0; index < valueBytes; index++) value |= (bytes[offset + index] as number) << (8 * index);
      offset += valueBytes;
      const stop = Math.min(seen + runLength, count);
      out.fill(value, seen, stop);
      seen = stop;
      if (runLength === 0) throw new Error("empty RLE run");
    }
  }
  return offset;
}
