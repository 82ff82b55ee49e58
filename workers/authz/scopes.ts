import type { ApiKeyScope } from "../auth/api-key.ts";

// How scopes imply one another, in one place for route policies, resource checks and grants.

/** `admin` implies every other scope; `write` implies `read`. */
export function scopeSatisfies(held: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  if (held.includes("admin") || held.includes(needed)) return true;
  return needed === "read" && held.includes("write");
}
