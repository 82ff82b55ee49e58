// Standard Webhooks (standardwebhooks.com) headers, so receivers can verify deliveries
// with the `standardwebhooks` libraries in any language:
//   webhook-id         the delivery id (= Idempotency-Key): the same on every retry
//   webhook-timestamp  unix seconds of this attempt
//   webhook-signature  "v1," + base64(HMAC-SHA256(key, "<id>.<timestamp>.<raw body>"))
// The id is inside the MAC, so a captured delivery cannot be replayed under a new id.
//
// The key: a secret of the form `whsec_<standard base64>` (what Vigil generates) is
// those decoded bytes, exactly as the libraries read it. Any other secret (one a caller
// chose, or one generated before this form, which used base64url without padding) is
// its whole string's UTF-8 bytes, the same key Vigil-Signature uses; give the library
// those bytes with `{ format: "raw" }` (docs/webhooks.md).
import { hmacSha256 } from "./signature.ts";

/** `whsec_` + canonical standard base64: padded to a multiple of 4, `=` only at the end. */
const STANDARD_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** The HMAC key bytes a channel secret stands for under Standard Webhooks. */
export function standardWebhookKey(secret: string): Uint8Array<ArrayBuffer> {
  const b64 = STANDARD_SECRET.exec(secret)?.[1];
  if (b64 && b64.length % 4 === 0) return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Uint8Array(new TextEncoder().encode(secret));
}

export async function standardWebhookSignature(secret: string, id: string, unixSeconds: number, body: string): Promise<string> {
  const mac = await hmacSha256(standardWebhookKey(secret), `${id}.${unixSeconds}.${body}`);
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

/** The three headers for one attempt (no signature when the channel has no secret). */
export async function standardWebhookHeaders(secret: string | null, id: string, unixSeconds: number, body: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { "webhook-id": id, "webhook-timestamp": String(unixSeconds) };
  if (secret) headers["webhook-signature"] = await standardWebhookSignature(secret, id, unixSeconds, body);
  return headers;
}
