// Vigil-Signature, in the Stripe scheme: `Vigil-Signature: t=<unix seconds>,v1=<hex>,v2=<hex>`.
//   v1 = HMAC-SHA256(secret, "<t>.<raw body>")                      (since the first release)
//   v2 = HMAC-SHA256(secret, "<t>.<Idempotency-Key>.<raw body>")    (binds the delivery id)
// The key is the secret string's UTF-8 bytes. Signing the timestamp lets receivers
// refuse replays older than a tolerance (5 minutes). v1 alone does not cover the
// Idempotency-Key header, so a captured delivery re-sent within the tolerance under a
// fresh key passes a v1 check and a dedupe on that header; v2 closes that, and v1 stays
// so existing receivers keep working (they ignore the extra v2 item). A v1 receiver is
// safe if it deduplicates on the body's signed `id` instead of the header.
// Standard Webhooks headers are signed separately (standard-webhooks.ts).

export const SIGNATURE_HEADER = "Vigil-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

export async function hmacSha256(key: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

async function hmacHex(secret: string, message: string): Promise<string> {
  // A copy typed as ArrayBuffer-backed: TypeScript 7 types encode() over ArrayBufferLike.
  const mac = await hmacSha256(new Uint8Array(encoder.encode(secret)), message);
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header for one attempt; `deliveryId` is the Idempotency-Key sent with it. */
export async function signatureHeader(secret: string, body: string, unixSeconds: number, deliveryId: string): Promise<string> {
  const v1 = await hmacHex(secret, `${unixSeconds}.${body}`);
  const v2 = await hmacHex(secret, `${unixSeconds}.${deliveryId}.${body}`);
  return `t=${unixSeconds},v1=${v1},v2=${v2}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

export interface VerifyOptions {
  /** The request's Idempotency-Key: checks v2, which binds it. Without it only v1 is checked. */
  idempotencyKey?: string;
  toleranceSeconds?: number;
}

/** What a receiver does; docs/webhooks.md shows the same steps in plain Node. */
export async function verifySignature(secret: string, body: string, header: string | null, nowSeconds: number, opts: VerifyOptions = {}): Promise<VerifyResult> {
  if (!header) return { ok: false, reason: "missing signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const scheme = opts.idempotencyKey === undefined ? "v1" : "v2";
  const candidates = parts.filter(([k]) => k === scheme).map(([, v]) => v ?? "");
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: "malformed signature header" };
  // Both directions: a timestamp from the future is as suspect as an old one.
  if (Math.abs(nowSeconds - t) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: "timestamp outside tolerance" };
  const message = scheme === "v1" ? `${t}.${body}` : `${t}.${opts.idempotencyKey}.${body}`;
  const expected = await hmacHex(secret, message);
  return candidates.some((c) => constantTimeEqual(c, expected)) ? { ok: true, timestamp: t } : { ok: false, reason: "signature mismatch" };
}

/**
 * A new per-channel secret: `whsec_` + standard base64 of 32 random bytes, the form the
 * Standard Webhooks libraries take as is (standard-webhooks.ts derives their key from it).
 */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
