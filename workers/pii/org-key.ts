// The per-org key that categorical PII values are HMACed with (pseudonym.ts). Made on the
// org's first need (32 random bytes from the Workers CSPRNG), stored in Postgres
// (org_pii_keys), never returned by the API, written to a log or sent to a Durable Object:
// the Worker hashes before anything leaves it. The same org always gets the same key,
// so a value hashes the same in every batch, baseline and version, and drift on the
// hashed categories is the drift of the raw ones. Held per isolate once read.
import { eq } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { orgPiiKeys } from "../db/schema/index.ts";

const KEY_BYTES = 32;
const cache = new Map<string, Promise<CryptoKey>>();

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));

async function loadOrCreate(db: Queryable, orgId: string): Promise<CryptoKey> {
  // Concurrent first uses race to insert; the first row wins and everyone reads it.
  await db.insert(orgPiiKeys).values({ orgId, key: hex(crypto.getRandomValues(new Uint8Array(KEY_BYTES))) }).onConflictDoNothing();
  const [row] = await db.select({ key: orgPiiKeys.key }).from(orgPiiKeys).where(eq(orgPiiKeys.orgId, orgId));
  if (!row) throw new Error("the org's PII key could not be stored");
  return crypto.subtle.importKey("raw", unhex(row.key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** The org's HMAC-SHA-256 key (non-extractable), created on first use. */
export function orgPiiKey(db: Queryable, orgId: string): Promise<CryptoKey> {
  let key = cache.get(orgId);
  if (!key) {
    key = loadOrCreate(db, orgId);
    cache.set(orgId, key);
    // A failed read is not cached: the next batch asks again.
    key.catch(() => cache.delete(orgId));
  }
  return key;
}
