// Redaction of text a receiver (or the network stack) sends back, before any of it is
// shown to a person. A receiver's reply is untrusted and may echo our own request
// (a Slack URL, an Authorization header, a signing secret) or carry its own secrets, so
// the excerpt an admin sees is: known secrets of the channel replaced, anything shaped
// like a credential replaced, control characters dropped, at most 200 characters.
// Redaction errs towards hiding: a long random-looking word is assumed to be a token.

export const EXCERPT_MAX_CHARS = 200;
/** Only this much of a reply is redacted and considered: the excerpt is cut from it. */
const SCAN_CHARS = 2_000;
const MASK = "[redacted]";

/** Credential shapes with a recognisable prefix (ours and the common SaaS ones). */
const PREFIXED: RegExp[] = [
  /whsec_[A-Za-z0-9+/=_-]+/g, // webhook signing secrets
  /vgl_[A-Za-z0-9_-]+/g, // Vigil API keys
  /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, // GitHub tokens
  /\bxox[abeoprs]-[A-Za-z0-9-]+/g, // Slack tokens
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]+/g, // Stripe-style keys
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs
  /\$(?:2[abxy]|scrypt|argon2(?:id|i|d)?)\$[^\s"'<>]+/g, // password hashes
  /\bscrypt\$[^\s"'<>]+/g,
];

/** `Bearer x`, `Basic x`, and key=value / "key": "value" pairs whose key names a secret. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[^\s"',;]+/gi;
// Quantifiers are bounded so no pattern backtracks quadratically on a hostile reply.
const SECRET_PAIR = /(["']?[\w.-]{0,32}(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|authorization|signature|credential|session|cookie|routing[_-]?key|private[_-]?key)[\w.-]{0,32}["']?\s{0,4}[:=]\s{0,4})("[^"]{0,512}"|'[^']{0,512}'|[^\s&,;}]{1,512})/gi;

/** URLs keep their origin only: paths and queries are where webhook tokens live. */
const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>]+/gi;

/** Random-looking words: 24+ characters of a token alphabet with letters and digits, or 32+ hex digits. */
const OPAQUE = /[A-Za-z0-9+/_=-]{24,}/g;

function looksRandom(word: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(word)) return true;
  return /[A-Za-z]/.test(word) && /\d/.test(word);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `text` with secrets replaced; `known` are values to remove wherever they appear (the channel's own credentials). */
export function redactText(text: string, known: ReadonlyArray<string | null | undefined> = []): string {
  let out = text;
  for (const k of known) if (k && k.length >= 4) out = out.replace(new RegExp(escapeRegExp(k), "g"), MASK);
  out = out.replace(URL_PATTERN, (u) => {
    try {
      const url = new URL(u);
      return url.pathname === "/" && !url.search ? url.origin : `${url.origin}/${MASK}`;
    } catch {
      return MASK;
    }
  });
  for (const re of PREFIXED) out = out.replace(re, MASK);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(SECRET_PAIR, (_m, key: string) => `${key}${MASK}`);
  out = out.replace(OPAQUE, (w) => (looksRandom(w) ? MASK : w));
  return out;
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
