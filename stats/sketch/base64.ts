// Standard base64 (RFC 4648 section 4, with padding) in pure TypeScript: no Buffer,
// no atob/btoa, so the same code runs in Node, Workers and browsers.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(v >>> 18) & 63]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += ALPHABET[(v >>> 18) & 63]! + ALPHABET[(v >>> 12) & 63]! + "==";
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(v >>> 18) & 63]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + "=";
  }
  return out;
}

export function bytesFromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`invalid base64: length ${text.length} is not a multiple of 4`);
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const at = i + j;
      const ch = text.charCodeAt(at);
      const isPad = ch === 61 && at >= text.length - padding;
      const d = isPad ? 0 : ch < 128 ? DECODE[ch]! : -1;
      if (d < 0) throw new Error(`invalid base64 character at index ${at}`);
      v = (v << 6) | d;
    }
    if (o < out.length) out[o++] = (v >>> 16) & 255;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}
