// One list of what a credential looks like, for everything Vigil shows or logs that it did
// not write itself: error messages on their way to the log (log-safe.ts) and receivers'
// replies on their way to an admin (channels/redact-text.ts). Redaction errs towards
// hiding: a long random-looking word is taken for a token. Every quantifier is bounded, so
// no pattern backtracks quadratically on hostile text (a receiver's reply is attacker-chosen).

export const MASK = "[redacted]";

/** Credential shapes with a recognisable prefix: ours first, then the common SaaS ones. */
const PREFIXED: RegExp[] = [
  /\bvgl_[A-Za-z0-9_-]+/g, // Vigil API keys
  /\bwhsec_[A-Za-z0-9+/=_-]+/g, // webhook signing secrets
  /\$?\bscrypt\$[^\s"'`<>]+/g, // password hashes
  /\$(?:2[abxy]|argon2(?:id|i|d)?)\$[^\s"'`<>]+/g,
  /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, // GitHub tokens
  /\bxox[abeoprs]-[A-Za-z0-9-]+/g, // Slack tokens
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]+/g, // Stripe-style keys
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs
];

/** `Bearer x` and friends, in any header-like or prose position. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[^\s"',;]+/gi;

/** `token=x`, `"secret": "x"`, `password: x`: a value under a key that names a secret. */
const SECRET_PAIR =
  /(["']?[\w.-]{0,32}(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|key|authorization|signature|credential|session|cookie|routing[_-]?key|private[_-]?key)[\w.-]{0,32}["']?\s{0,4}[:=]\s{0,4})("[^"]{0,512}"|'[^']{0,512}'|[^\s&,;}"']{1,512})/gi;

/** URLs keep scheme and host: webhook tokens live in paths and queries, passwords before the @. */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)(?:[^\s/@"'<>]{0,256}@)?([^\s/?#"'<>]{1,256})([^\s"'<>]*)/gi;

function looksRandom(word: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(word)) return true;
  return /[A-Za-z]/.test(word) && /\d/.test(word);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface RedactOptions {
  /** Values to remove wherever they appear (a channel's own credentials). */
  known?: ReadonlyArray<string | null | undefined>;
  /**
   * Shortest word taken for a token when it mixes letters and digits (default 32, which
   * spares file paths and identifiers in logs; a receiver's reply uses 24).
   */
  opaqueMinLength?: number;
}

/** `text` with every credential-shaped part replaced by [redacted]. */
export function redactSecrets(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const k of options.known ?? []) if (k && k.length >= 4) out = out.replace(new RegExp(escapeRegExp(k), "g"), MASK);
  out = out.replace(URL_PATTERN, (_m, scheme: string, host: string, rest: string) => (rest === "" || rest === "/" ? `${scheme}${host}${rest}` : `${scheme}${host}/${MASK}`));
  for (const pattern of PREFIXED) out = out.replace(pattern, MASK);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(SECRET_PAIR, (_m, key: string) => `${key}${MASK}`);
  const opaque = new RegExp(`[A-Za-z0-9+_=-]{${options.opaqueMinLength ?? 32},}`, "g");
  return out.replace(opaque, (word) => (looksRandom(word) ? MASK : word));
}
