// Redaction of text a receiver (or the network stack) sends back, before any of it is
// shown to a person. A receiver's reply is untrusted and may echo our own request
// (a Slack URL, an Authorization header, a signing secret) or carry its own secrets, so
// the excerpt an admin sees is: known secrets of the channel replaced, anything shaped
// like a credential replaced, control characters dropped, at most 200 characters.
// Redaction errs towards hiding: a long random-looking word is assumed to be a token. The
// credential shapes are the ones the logs use (security/redact.ts).
import { redactSecrets } from "../security/redact.ts";

export const EXCERPT_MAX_CHARS = 200;
/** Only this much of a reply is redacted and considered: the excerpt is cut from it. */
const SCAN_CHARS = 2_000;

/** `text` with secrets replaced; `known` are values to remove wherever they appear (the channel's own credentials). */
export function redactText(text: string, known: ReadonlyArray<string | null | undefined> = []): string {
  return redactSecrets(text, { known, opaqueMinLength: 24 });
}

/** A short, single-line, redacted excerpt of a receiver's reply for admins. */
export function responseExcerpt(text: string, known: ReadonlyArray<string | null | undefined> = []): string | null {
  // One line: control and line-separator characters become spaces.
  const flat = text.slice(0, SCAN_CHARS).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  if (!flat) return null;
  const redacted = redactText(flat, known);
  // Cut by code points, so the excerpt never ends in half a surrogate pair.
  const chars = Array.from(redacted);
  return chars.length > EXCERPT_MAX_CHARS ? `${chars.slice(0, EXCERPT_MAX_CHARS - 1).join("")}…` : redacted;
}
