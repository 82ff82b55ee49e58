// What a principal may hand to someone else. Every route that grants (adds a member,
// changes a role or a project role, suspends or removes a membership, issues or
// rotates an API key) asks `mayGrant` first, so there is one rule to review:
//
//   A principal can never grant beyond its own reach.
//
// Reach is where the principal may act and with what:
//  - an API key limited to a project (or a model) reaches only that project (model),
//    with its scopes; an unlimited key reaches the whole org with its scopes;
//  - a user reaches each project with the lesser of their org role and the project's
//    narrowing; the whole org only with the lowest role they hold anywhere, because an
//    org-wide grant lands in every project, including the ones narrowed for them.
// Org memberships reach every project, so only principals that reach the whole org
// (as admin) manage them. The owner role, and any change to an owner's membership,
// belong to owners alone, so an admin (user or key) can never demote, narrow, suspend
// or remove an owner.
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import { orgWideRole, orgWideScopes, roleIn, scopesOn } from "./access.ts";
import { atLeast, narrower, type Role } from "./roles.ts";
import { scopeSatisfies } from "./scopes.ts";

export type Grant =
  /** A membership with this org role, new (`from` absent) or changed from `from`. */
  | { kind: "org_role"; role: Role; from?: Role }
  /** Suspending, resuming or removing the membership of a member whose org role is `target`. */
  | { kind: "membership"; target: Role }
  /** Setting (or, with `role: null`, clearing) a member's project role. */
  | { kind: "project_role"; projectId: string; role: Role | null; targetOrgRole: Role; current: Role | null }
  /** An API key with these scopes and limits. */
  | { kind: "api_key"; scopes: readonly ApiKeyScope[]; projectId: string | null; modelId: string | null };

export type GrantDecision = { ok: true } | { ok: false; reason: string };

const isOwner = (p: Principal) => p.kind === "user" && p.role === "owner" && orgWideRole(p) === "owner";
const deny = (reason: string): GrantDecision => ({ ok: false, reason });
const allow: GrantDecision = { ok: true };

function orgRole(p: Principal, grant: { role: Role; from?: Role }): GrantDecision {
  const own = orgWideRole(p);
  if (!own) return deny("a principal limited to one project or model cannot manage org memberships, which reach every project");
  if (!atLeast(own, "admin")) return deny("managing members needs the admin role on every project of the org");
  if ((grant.role === "owner" || grant.from === "owner") && !isOwner(p)) return deny("only an owner may grant or change the owner role");
  if (!atLeast(own, grant.role)) return deny(`cannot grant ${grant.role}, above your own role`);
  if (grant.from && !atLeast(own, grant.from)) return deny(`cannot change the role of a member whose role (${grant.from}) is above yours`);
  return allow;
}

function membership(p: Principal, target: Role): GrantDecision {
  const own = orgWideRole(p);
  if (!own) return deny("a principal limited to one project or model cannot manage org memberships");
  if (!atLeast(own, "admin")) return deny("managing members needs the admin role on every project of the org");
  if (target === "owner" && !isOwner(p)) return deny("only an owner may suspend or remove an owner");
  if (!atLeast(own, target)) return deny(`cannot change the membership of a member whose role (${target}) is above yours`);
  return allow;
}

function projectRole(p: Principal, g: Extract<Grant, { kind: "project_role" }>): GrantDecision {
  const own = roleIn(p, g.projectId);
  if (!own || !atLeast(own, "admin")) return deny("setting project roles needs the admin role in that project");
  if (g.targetOrgRole === "owner" && !isOwner(p)) return deny("only an owner may change an owner's project roles");
  if (g.role && !atLeast(own, g.role)) return deny(`cannot grant ${g.role} in this project, above your own role there`);
  const before = g.current ? narrower(g.targetOrgRole, g.current) : g.targetOrgRole;
  const after = g.role ? narrower(g.targetOrgRole, g.role) : g.targetOrgRole;
  if (!atLeast(own, before) || !atLeast(own, after)) return deny("cannot change the project role of a member who would hold more there than you do");
  return allow;
}

function apiKey(p: Principal, g: Extract<Grant, { kind: "api_key" }>): GrantDecision {
  if (p.kind === "api_key" && p.modelId && g.modelId !== p.modelId) return deny(`API key ${p.prefix} is limited to one model and may only create keys limited to it`);
  if (p.kind === "api_key" && p.projectId && g.projectId !== p.projectId) return deny(`API key ${p.prefix} is limited to one project and may only create keys limited to it`);
  const held = g.projectId ? scopesOn(p, { projectId: g.projectId, ...(g.modelId ? { modelId: g.modelId } : {}) }) : orgWideScopes(p);
  if (!held) return deny(g.projectId ? "the key's project is outside your reach" : "an org-wide key needs a principal that reaches the whole org");
  const beyond = g.scopes.filter((s) => !scopeSatisfies(held, s));
  if (beyond.length > 0) return deny(`cannot grant the ${beyond.map((s) => `"${s}"`).join(", ")} scope${beyond.length > 1 ? "s" : ""}: beyond what you hold ${g.projectId ? "on that project" : "on every project of the org"}`);
  return allow;
}

/** Whether `p` may make this grant, and why not. */
export function mayGrant(p: Principal, grant: Grant): GrantDecision {
  switch (grant.kind) {
    case "org_role":
      return orgRole(p, grant);
    case "membership":
      return membership(p, grant.target);
    case "project_role":
      return projectRole(p, grant);
    case "api_key":
      return apiKey(p, grant);
  }
}

/** `mayGrant`, as a 403 that says why. */
export function requireGrant(p: Principal, grant: Grant): void {
  const decision = mayGrant(p, grant);
  if (!decision.ok) throw new ApiError(403, "forbidden", decision.reason);
}
