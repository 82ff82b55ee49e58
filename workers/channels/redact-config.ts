// Channel credentials as callers see them: never in full, for anyone. A Slack or Teams
// webhook URL is itself the credential, and any webhook URL may carry a token in its
// path or query, so every URL field shows only its origin and last 4 characters
// (`https://hooks.slack.com/…abcd`); secret fields (routing_key, token, …) show their
// last 4 (`…abcd`, nothing for values under 12 characters). The HMAC signing secret is
// kept outside config and shown only once, in the reply that created it.
//
// Writing back: PATCH replaces the whole config, so a client that read a channel and
// changes one field sends the masks back. A mask that equals the mask of the stored
// value keeps the stored value (documented in docs/webhooks.md); any other value
// containing "…" is refused with 400 naming the field. A kept credential never follows
// a changed destination: if any URL field changes, every credential must be sent in
// full (likewise repo and format), so a caller who cannot read a routing key or token
// cannot redirect it either.
import type { ChannelTarget } from "./notification.ts";

/** Marks a redacted value; a value containing it is never a credential we accept. */
export const MASK_MARK = "…";

export const URL_FIELDS = ["url", "api_url"] as const;
export const SECRET_FIELDS = ["secret", "token", "routing_key"] as const;
const CREDENTIAL_FIELDS: readonly string[] = [...URL_FIELDS, ...SECRET_FIELDS];
/** Where a credential is sent: changing any of these needs the credential anew. */
const DESTINATION_FIELDS = ["url", "api_url", "repo", "format"] as const;

const tail = (v: string) => (v.length >= 12 ? v.slice(-4) : "");

export function maskSecret(value: string): string {
  return `${MASK_MARK}${tail(value)}`;
}

export function maskUrl(value: string): string {
  try {
    const origin = new URL(value).origin;
    if (origin !== "null") return `${origin}/${MASK_MARK}${tail(value)}`;
  } catch {
    // not a URL (stored before validation): mask it like any secret
  }
  return maskSecret(value);
}

function mask(field: string, value: string): string {
  return (URL_FIELDS as readonly string[]).includes(field) ? maskUrl(value) : maskSecret(value);
}

/** Config as shown back to every caller: credentials and URLs masked. */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = CREDENTIAL_FIELDS.includes(k) && typeof v === "string" ? mask(k, v) : v;
  return out;
}

export type Restored = { ok: true; config: Record<string, unknown> } | { ok: false; field: string; error: string };

/**
 * `incoming` with masks that match `stored` replaced by the stored values (stored is
 * null on create, where no mask is acceptable). Fails naming the first bad field.
 */
export function restoreMasked(incoming: Record<string, unknown>, stored: Record<string, unknown> | null): Restored {
  const config = { ...incoming };
  const kept: string[] = [];
  for (const [k, v] of Object.entries(incoming)) {
    if (!CREDENTIAL_FIELDS.includes(k) || typeof v !== "string" || !v.includes(MASK_MARK)) continue;
    const current = stored?.[k];
    if (typeof current !== "string" || mask(k, current) !== v) {
      return { ok: false, field: `config.${k}`, error: "is a redacted value that does not match the stored one; send the full value (values containing … are never accepted)" };
    }
    config[k] = current;
    kept.push(k);
  }
  const moved = DESTINATION_FIELDS.find((d) => config[d] !== stored?.[d]);
  const keptSecret = kept.find((k) => (SECRET_FIELDS as readonly string[]).includes(k));
  if (moved && keptSecret) {
    return { ok: false, field: `config.${keptSecret}`, error: `must be sent in full when config.${moved} changes (a stored credential never follows a new destination)` };
  }
  return { ok: true, config };
}

/** Every credential of a channel, to strip from anything shown (errors, reply excerpts). */
export function channelSecrets(channel: Pick<ChannelTarget, "config" | "secret">): string[] {
  const values = [channel.secret, ...CREDENTIAL_FIELDS.map((k) => channel.config[k])];
  return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}
