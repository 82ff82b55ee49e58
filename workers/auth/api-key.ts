// API keys: `vgl_<8 hex prefix>_<32 bytes base64url secret>`. Only the SHA-256 of the
// whole key and its visible prefix are stored. A plain hash (not a slow KDF) is right
// here because the secret carries 256 bits of entropy and cannot be guessed; it also
// keeps the per-request check cheap.

export const API_KEY_SCOPES = ["ingest", "read", "write", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return toHex(new Uint8Array(digest));
}

/**
 * Hashes of keys this isolate has seen recently. Hashing is a subtle.digest call per
 * request (about 1.5 % of the ingest thread at 100k events/s); a sender reuses its key,
 * so the hash is remembered. Bounded: when full it starts over, so a flood of random
 * keys costs only the hashing it would have cost anyway.
 */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 1_000;

/** hashApiKey, remembered per isolate for keys presented on requests. */
export async function requestKeyHash(key: string): Promise<string> {
  const known = recentHashes.get(key);
  if (known !== undefined) return known;
  const hash = await hashApiKey(key);
  if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.clear();
  recentHashes.set(key, hash);
  return hash;
}

export async function generateApiKey(): Promise<NewApiKey> {
  const prefix = `vgl_${toHex(crypto.getRandomValues(new Uint8Array(4)))}`;
  const key = `${prefix}_${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { key, prefix, hash: await hashApiKey(key) };
}

const KEY_SHAPE = /^(vgl_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

/** The prefix of a well-formed key, or undefined: lets auth reject junk without a lookup. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_SHAPE.exec(key)?.[1];
}
