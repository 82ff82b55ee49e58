// Categorical PII values as keyed hashes: `hmac:` + the unpadded base64url of
// HMAC-SHA-256(org key, UTF-8 value) (RFC 2104; 43 characters). Deterministic per org,
// so counts, drift and joins on the hashed category behave as on the raw one, and
// one-way without the key, so a stored category cannot be turned back into the value
// nor confirmed by hashing guesses. A value already in that form is left as it is, so a
// profile read back from GET …/baselines/{id} and uploaded again is not hashed twice.
// Applied by the Worker to each batch before it is encoded (ingest and the payload-logger
// integrations) and to every baseline profile before it is stored or sent to a monitor.
import type { CategoricalColumn } from "../../stats/streaming/columns.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import type { EventColumns } from "../../durable/monitor/event-columns.ts";

const PREFIX = "hmac:";
const FORM = /^hmac:[A-Za-z0-9_-]{43}$/;

export const isPseudonym = (value: string): boolean => FORM.test(value);

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function pseudonym(key: CryptoKey, value: string): Promise<string> {
  if (isPseudonym(value)) return value;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value)));
  return PREFIX + base64url(mac);
}

/** Names of the categorical features tagged PII in a schema. */
export function piiCategorical(schema: readonly { name: string; kind: string; pii?: string | undefined }[]): Set<string> {
  return new Set(schema.filter((f) => f.pii !== undefined && f.kind === "categorical").map((f) => f.name));
}

/** The batch with each named categorical column's dictionary hashed (one HMAC per distinct value; codes unchanged). */
export async function pseudonymizeBatch(key: CryptoKey, batch: EventColumns, names: ReadonlySet<string>): Promise<EventColumns> {
  if (names.size === 0) return batch;
  const features = await Promise.all(
    batch.features.map(async (c) => {
      if (c.kind !== "categorical" || !names.has(c.name)) return c;
      const dictionary = await Promise.all(c.dictionary.map((v) => pseudonym(key, v)));
      return { ...c, dictionary } satisfies CategoricalColumn;
    }),
  );
  return { ...batch, features };
}

/**
 * The profile with each named categorical feature's category labels hashed. It may not be
 * validated yet (a body's `profile`): anything not shaped like a profile's categorical
 * feature is left for validation to refuse.
 */
export async function pseudonymizeProfile<T>(key: CryptoKey, profile: T, names: ReadonlySet<string>): Promise<T> {
  const p = profile as Partial<Profile> | null;
  if (names.size === 0 || typeof p !== "object" || p === null || !Array.isArray(p.features)) return profile;
  const features = await Promise.all(
    p.features.map(async (f: unknown) => {
      const feature = f as { kind?: unknown; name?: unknown; categories?: { values?: unknown } };
      const values = feature?.categories?.values;
      if (feature?.kind !== "categorical" || typeof feature.name !== "string" || !names.has(feature.name) || !Array.isArray(values)) return f;
      return { ...feature, categories: { ...feature.categories, values: await Promise.all(values.map((v: unknown) => (typeof v === "string" ? pseudonym(key, v) : v))) } };
    }),
  );
  return { ...p, features } as T;
}
