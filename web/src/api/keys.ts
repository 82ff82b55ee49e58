import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, nullable, object, optional, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export type Scope = "ingest" | "read" | "write" | "admin";
export const SCOPES: readonly Scope[] = ["ingest", "read", "write", "admin"];

export interface KeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const parseKeySummary: Parser<KeySummary> = (v, p) => {
  const o = object({
    id: str,
    name: withDefault(str, ""),
    prefix: str,
    scopes: withDefault(array(str), []),
    created_at: optional(str),
    last_used_at: nullable(str),
    revoked_at: nullable(str),
  })(v, p);
  return { id: o.id, name: o.name, prefix: o.prefix, scopes: o.scopes, createdAt: o.created_at ?? null, lastUsedAt: o.last_used_at, revokedAt: o.revoked_at };
};

/** The one response that carries the whole key; it is never retrievable again. */
const parseCreated = (v: unknown) => {
  const o = object({ key: str, id: optional(str), prefix: optional(str) })(v);
  return { key: o.key };
};

export function listKeys(api: ApiClient, signal?: AbortSignal): Promise<Page<KeySummary>> {
  return api.get("/v1/keys?limit=200", page(parseKeySummary, "items"), signal);
}

export function createKey(api: ApiClient, body: { name: string; scopes: Scope[]; model?: string }): Promise<{ key: string }> {
  return api.send("POST", "/v1/keys", body, parseCreated);
}

/** Issues a successor key; the old one keeps working for `overlapSeconds`. */
export function rotateKey(api: ApiClient, id: string, overlapSeconds: number): Promise<{ key: string }> {
  return api.send("POST", `/v1/keys/${encodeURIComponent(id)}/rotate`, { overlap_seconds: overlapSeconds }, parseCreated);
}

export function revokeKey(api: ApiClient, id: string): Promise<unknown> {
  return api.send("DELETE", `/v1/keys/${encodeURIComponent(id)}`, undefined, unknownValue);
}
