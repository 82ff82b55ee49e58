// UTF-8 bytes to strings for the CSV reader: cell text (labels, header names, quoted
// fields) is decoded from the bytes only when a string is needed.

const utf8 = new TextDecoder("utf-8");

// Longer text goes to TextDecoder: apply() takes each byte as an argument, and engines
// limit how many arguments a call may have.
const MAX_APPLY_BYTES = 256;

/** The UTF-8 text of bytes[start, stop); invalid sequences become U+FFFD, as in a stream decoder. */
export function decodeUtf8(bytes: Uint8Array, start: number, stop: number): string {
  if (stop - start > MAX_APPLY_BYTES) return utf8.decode(bytes.subarray(start, stop));
  for (let index = start; index < stop; index++) {
    if ((bytes[index] as number) >= 0x80) return utf8.decode(bytes.subarray(start, stop));
  }
  return asciiText(bytes, start, stop);
}

function asciiText(bytes: Uint8Array, start: number, stop: number): string {
  // Short cells are the common case; apply() with a typed array avoids a per-char concat.
  return String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]);
}
