// Secret comparisons (password hashes, the instance admin token, CSRF tokens) whose
// running time does not depend on where two values first differ, so a caller cannot
// find a secret byte by byte by timing refusals. Lengths are compared first and are not
// secret: every token compared here has a fixed, public length; only the content
// comparison must not stop early, so it always walks every byte.

/** Byte-wise comparison whose time depends only on the lengths, not on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The same for text, by UTF-16 code unit (no encoding step, so two different strings
 * never compare equal the way lone surrogates do after UTF-8 replacement); a missing
 * value never equals anything.
 */
export function constantTimeEqualText(given: string | undefined, expected: string): boolean {
  if (given === undefined || given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
