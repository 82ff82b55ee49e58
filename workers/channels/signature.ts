// Webhook signatures in the Stripe scheme: `Vigil-Signature: t=<unix seconds>,v1=<hex>`
// where hex = HMAC-SHA256(secret, "<t>.<raw body>"). Signing the timestamp with the
// body lets receivers reject replays older than a tolerance (5 minutes by default).

export const SIGNATURE_HEADER = "Vigil-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver does; docs/webhooks.md shows the same steps in plain Node. */
export async function verifySignature(secret: string, body: string, header: string | null, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): Promise<VerifyResult> {
  if (!header) return { ok: false, reason: "missing signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const candidates = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: "malformed signature header" };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: "timestamp outside tolerance" };
  const expected = await hmacHex(secret, `${t}.${body}`);
  return candidates.some((c) => constantTimeEqual(c, expected)) ? { ok: true, timestamp: t } : { ok: false, reason: "signature mismatch" };
}

/** A new per-channel secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `whsec_${b64}`;
}
