import { scrypt } from "node:crypto";
import { constantTimeEqual } from "../auth/constant-time.ts";

// Password hashing with scrypt (memory-hard), through workerd's node:crypto (BoringSSL).
// Why not PBKDF2-SHA256 at 600k iterations through WebCrypto: local workerd runs it
// (about 350 ms), but deployed Workers refuse more than 100,000 PBKDF2 iterations
// (cloudflare/workerd#1346), so hashes made locally would not verify in production.
// Parameters are OWASP's scrypt minimum N=2^14, r=8, p=5 (16 MiB), which fits a
// Worker's 128 MB memory; measured at about 550 ms per hash in workerd on this shared 2-core machine
// (password.test.ts prints it). That needs the paid plan's CPU limit, not the free 10 ms.
// Parameters are stored with each hash so they can be raised later.

export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_N = 2 ** 17;

function toB64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromB64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}

function derive(password: string, salt: Uint8Array, params: { N: number; r: number; p: number }): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt b64>$<key b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${toB64(salt)}$${toB64(key)}`;
}

/** Constant-time check; false for a malformed or unsupported stored hash rather than throwing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // A stored hash cannot ask for more work than we would ever configure.
  if (!(N >= 2 && N <= MAX_N && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const salt = fromB64(parts[4]!);
  const expected = fromB64(parts[5]!);
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, salt, { N, r, p });
  return constantTimeEqual(actual, expected);
}

/** A fixed dummy hash to verify against for unknown emails, so timing does not reveal which emails exist. */
export const DUMMY_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA==$${"A".repeat(43)}=`;
