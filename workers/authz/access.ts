import type { ApiKeyScope } from "../auth/api-key.ts";
import { scopeSatisfies } from "../auth/authenticate.ts";
import { principalLabel, type Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import { narrower, scopesOf } from "./roles.ts";

// Resource-level checks, after the route's policy admitted the caller to the org:
// a key limited to a project or model, and a user's role narrowed in a project.

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
