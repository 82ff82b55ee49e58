import type { ApiKeyScope } from "../auth/api-key.ts";
import { scopeSatisfies } from "./scopes.ts";
import { principalLabel, type Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import { narrower, scopesOf, type Role } from "./roles.ts";

// Resource-level checks, after the route's policy admitted the caller to the org:
// a key limited to a project or model, and a user's role narrowed in a project.
// A principal's reach over the whole org is the least it holds anywhere in it: an
// org-wide resource (the audit log, org memberships, org-wide keys) shows or touches
// every project, including those the principal is limited out of or narrowed in.

export interface ResourceRef {
  projectId: string;
  /** Absent for project-level actions (listing, creating a model). */
  modelId?: string;
}

/** The scopes the principal holds on this resource, or null when it may not even see it. */
export function scopesOn(p: Principal, ref: ResourceRef): readonly ApiKeyScope[] | null {
  if (p.kind === "api_key") {
    if (p.projectId && p.projectId !== ref.projectId) return null;
    if (p.modelId && ref.modelId !== undefined && p.modelId !== ref.modelId) return null;
    return p.scopes;
  }
  const narrowed = p.projectRoles[ref.projectId];
  return scopesOf(narrowed ? narrower(p.role, narrowed) : p.role);
}

/**
 * Throws 404 (named like a missing resource, so nothing leaks) when the principal may
 * not see the resource, and 403 when it may see but not act.
 */
export function requireOn(p: Principal, ref: ResourceRef, scope: ApiKeyScope, notFoundMessage: string): void {
  const scopes = scopesOn(p, ref);
  if (!scopes) throw new ApiError(404, "not_found", notFoundMessage);
  if (!scopeSatisfies(scopes, scope)) throw new ApiError(403, "forbidden", `${principalLabel(p)} lacks the "${scope}" scope on this project`);
  if (p.kind === "api_key" && p.modelId && ref.modelId === undefined && scope !== "read") {
    throw new ApiError(403, "forbidden", `API key ${p.prefix} is limited to one model and cannot act on the whole project`);
  }
}

/** The role an API key's scopes amount to, for comparisons with user roles. */
function keyRole(scopes: readonly ApiKeyScope[]): Role | null {
  if (scopes.includes("admin")) return "admin";
  if (scopes.includes("write")) return "editor";
  if (scopes.includes("read")) return "viewer";
  return null;
}

function lowest(roles: readonly Role[]): Role {
  return roles.reduce((a, b) => narrower(a, b));
}

/** The role the principal holds in every project at once, or null when it is limited to part of the org. */
export function orgWideRole(p: Principal): Role | null {
  if (p.kind === "api_key") return p.projectId || p.modelId ? null : keyRole(p.scopes);
  return lowest([p.role, ...Object.values(p.projectRoles)]);
}

/** The role the principal holds in one project as a whole, or null when it reaches none (or only one model) of it. */
export function roleIn(p: Principal, projectId: string): Role | null {
  if (p.kind === "api_key") {
    if (p.modelId || (p.projectId && p.projectId !== projectId)) return null;
    return keyRole(p.scopes);
  }
  const narrowed = p.projectRoles[projectId];
  return narrowed ? narrower(p.role, narrowed) : p.role;
}

/** The scopes the principal holds on every project of the org, or null when it is limited to part of it. */
export function orgWideScopes(p: Principal): readonly ApiKeyScope[] | null {
  if (p.kind === "api_key") return p.projectId || p.modelId ? null : p.scopes;
  return scopesOf(lowest([p.role, ...Object.values(p.projectRoles)]));
}

/** For org-wide resources: 403 unless the principal holds `scope` on every project of the org. */
export function requireOrgWide(p: Principal, scope: ApiKeyScope, what: string): void {
  const held = orgWideScopes(p);
  if (held && scopeSatisfies(held, scope)) return;
  const why = p.kind === "api_key" && (p.projectId || p.modelId) ? `API key ${p.prefix} is limited to one ${p.modelId ? "model" : "project"}` : `${principalLabel(p)} lacks the "${scope}" scope on some project of the org`;
  throw new ApiError(403, "forbidden", `${what} spans the whole org: ${why}`);
}
