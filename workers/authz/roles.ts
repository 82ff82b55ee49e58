import type { ApiKeyScope } from "../auth/api-key.ts";

// User roles per org, and what each may do, expressed in API-key scopes so that one
// policy per route covers both kinds of caller.

export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const SCOPES_BY_ROLE: Record<Role, readonly ApiKeyScope[]> = {
  viewer: ["read"],
  editor: ["read", "write", "ingest"],
  admin: ["read", "write", "ingest", "admin"],
  owner: ["read", "write", "ingest", "admin"],
};

export function scopesOf(role: Role): readonly ApiKeyScope[] {
  return SCOPES_BY_ROLE[role];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The lesser of two roles: a project role can narrow an org role, never widen it. */
export function narrower(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
