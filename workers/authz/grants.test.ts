// mayGrant, case by case. Expected answers are written out by hand from the rule in
// grants.ts ("never beyond your own reach"), not computed from the code under test.
import { describe, expect, it } from "vitest";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { ApiKeyPrincipal, UserPrincipal } from "../auth/principal.ts";
import { mayGrant, requireGrant, type Grant } from "./grants.ts";
import type { Role } from "./roles.ts";

const P1 = "11111111-1111-4111-8111-111111111111";
const P2 = "22222222-2222-4222-8222-222222222222";
const M1 = "33333333-3333-4333-8333-333333333333";

function key(scopes: ApiKeyScope[], limits: { projectId?: string; modelId?: string } = {}): ApiKeyPrincipal {
  return { kind: "api_key", orgId: "org", keyId: "k", prefix: "vgl_test", scopes, projectId: limits.projectId ?? null, modelId: limits.modelId ?? null };
}

function user(role: Role, projectRoles: Record<string, Role> = {}): UserPrincipal {
  const scopes: ApiKeyScope[] = role === "viewer" ? ["read"] : role === "editor" ? ["read", "write", "ingest"] : ["read", "write", "ingest", "admin"];
  return { kind: "user", orgId: "org", userId: "u", email: "u@example.test", sessionId: "s", role, projectRoles, scopes, instanceAdmin: false, csrfToken: "t", sessionExpiresAt: "" };
}

const ok = (p: ApiKeyPrincipal | UserPrincipal, g: Grant) => mayGrant(p, g).ok;

describe("org roles (memberships reach every project)", () => {
  it("an admin grants up to admin; only an owner grants or takes away owner", () => {
    expect(ok(user("admin"), { kind: "org_role", role: "admin" })).toBe(true);
    expect(ok(user("admin"), { kind: "org_role", role: "owner" })).toBe(false);
    expect(ok(user("admin"), { kind: "org_role", role: "viewer", from: "owner" })).toBe(false);
    expect(ok(user("owner"), { kind: "org_role", role: "owner" })).toBe(true);
    expect(ok(key(["admin"]), { kind: "org_role", role: "owner" })).toBe(false);
    expect(ok(key(["admin"]), { kind: "org_role", role: "editor" })).toBe(true);
  });

  it("editors and write keys grant nothing", () => {
    expect(ok(user("editor"), { kind: "org_role", role: "viewer" })).toBe(false);
    expect(ok(key(["write", "read", "ingest"]), { kind: "org_role", role: "viewer" })).toBe(false);
  });

  it("a key limited to a project or model cannot grant any membership", () => {
    expect(ok(key(["admin"], { projectId: P2 }), { kind: "org_role", role: "viewer" })).toBe(false);
    expect(ok(key(["admin"], { projectId: P1, modelId: M1 }), { kind: "org_role", role: "viewer" })).toBe(false);
  });

  it("a user narrowed in one project grants org-wide no more than they hold there", () => {
    const narrowed = user("admin", { [P1]: "viewer" });
    expect(ok(narrowed, { kind: "org_role", role: "viewer" })).toBe(false);
    expect(ok(user("owner", { [P1]: "admin" }), { kind: "org_role", role: "owner" })).toBe(false);
  });
});

describe("suspending or removing a membership", () => {
  it("admins manage members up to admin; owners alone touch owners", () => {
    expect(ok(user("admin"), { kind: "membership", target: "editor" })).toBe(true);
    expect(ok(user("admin"), { kind: "membership", target: "owner" })).toBe(false);
    expect(ok(key(["admin"]), { kind: "membership", target: "owner" })).toBe(false);
    expect(ok(user("owner"), { kind: "membership", target: "owner" })).toBe(true);
    expect(ok(key(["admin"], { projectId: P1 }), { kind: "membership", target: "viewer" })).toBe(false);
  });
});

describe("project roles", () => {
  const grant = (role: Role | null, targetOrgRole: Role, current: Role | null = null, projectId = P1): Grant => ({ kind: "project_role", projectId, role, targetOrgRole, current });

  it("an admin key cannot narrow an owner's project role (only an owner can)", () => {
    expect(ok(key(["admin"]), grant("viewer", "owner"))).toBe(false);
    expect(ok(user("admin"), grant("viewer", "owner"))).toBe(false);
    expect(ok(user("owner"), grant("viewer", "owner"))).toBe(true);
  });

  it("a project-limited admin key sets roles in its own project only, no higher than its own", () => {
    const p1Admin = key(["admin"], { projectId: P1 });
    expect(ok(p1Admin, grant("viewer", "editor"))).toBe(true);
    expect(ok(p1Admin, grant("owner", "admin"))).toBe(false);
    expect(ok(p1Admin, grant("viewer", "editor", null, P2))).toBe(false);
  });

  it("clearing a narrowing may not lift a member above the caller's role in that project", () => {
    // The caller is admin org-wide but only editor in P1: the target (admin, narrowed to viewer there) would become admin in P1.
    expect(ok(user("admin", { [P1]: "editor" }), grant(null, "admin", "viewer"))).toBe(false);
    expect(ok(user("admin"), grant(null, "admin", "viewer"))).toBe(true);
  });

  it("a viewer in the project sets nothing there", () => {
    expect(ok(user("admin", { [P1]: "viewer" }), grant("viewer", "viewer"))).toBe(false);
  });
});

describe("API keys", () => {
  const apiKey = (scopes: ApiKeyScope[], projectId: string | null = null, modelId: string | null = null): Grant => ({ kind: "api_key", scopes, projectId, modelId });

  it("a project-limited key issues keys limited to that project, with a subset of its scopes", () => {
    const p2 = key(["admin"], { projectId: P2 });
    expect(ok(p2, apiKey(["admin"], P2))).toBe(true);
    expect(ok(p2, apiKey(["read"], P2))).toBe(true);
    expect(ok(p2, apiKey(["read"]))).toBe(false);
    expect(ok(p2, apiKey(["read"], P1))).toBe(false);
    expect(ok(key(["read", "admin"], { projectId: P2 }), apiKey(["ingest"], P2))).toBe(true);
  });

  it("never grants a scope the caller lacks", () => {
    expect(ok(key(["read", "write"]), apiKey(["admin"]))).toBe(false);
    expect(ok(key(["read", "write"]), apiKey(["ingest"]))).toBe(false);
    expect(ok(key(["read", "write"]), apiKey(["read"]))).toBe(true);
  });

  it("a model-limited key issues keys for its model only", () => {
    const m1 = key(["admin"], { projectId: P1, modelId: M1 });
    expect(ok(m1, apiKey(["read"], P1, M1))).toBe(true);
    expect(ok(m1, apiKey(["read"], P1))).toBe(false);
  });

  it("a user narrowed in a project issues org-wide keys only within the least they hold anywhere", () => {
    const narrowed = user("admin", { [P1]: "viewer" });
    expect(ok(narrowed, apiKey(["admin"]))).toBe(false);
    expect(ok(narrowed, apiKey(["read"]))).toBe(true);
    expect(ok(narrowed, apiKey(["write"], P1))).toBe(false);
    expect(ok(narrowed, apiKey(["admin"], P2))).toBe(true);
  });
});

describe("owners alone touch owners, even where the role ranks would allow it", () => {
  const grant = (role: Role | null, current: Role | null, projectId = P1): Grant => ({ kind: "project_role", projectId, role, targetOrgRole: "owner", current });

  it("an admin cannot change the project role of an owner already narrowed below them there", () => {
    // Before (viewer) and after (editor) are both within an admin's reach: only the owner rule refuses.
    expect(mayGrant(user("admin"), grant("editor", "viewer"))).toEqual({ ok: false, reason: "only an owner may change an owner's project roles" });
    expect(mayGrant(user("owner"), grant("editor", "viewer"))).toEqual({ ok: true });
  });

  it("an owner narrowed in another project is not an owner of the whole org", () => {
    expect(mayGrant(user("owner", { [P2]: "editor" }), grant("editor", "viewer"))).toEqual({ ok: false, reason: "only an owner may change an owner's project roles" });
    expect(mayGrant(user("owner", { [P2]: "admin" }), { kind: "org_role", role: "owner" })).toEqual({ ok: false, reason: "only an owner may grant or change the owner role" });
    expect(mayGrant(user("owner", { [P2]: "admin" }), { kind: "membership", target: "owner" })).toEqual({ ok: false, reason: "only an owner may suspend or remove an owner" });
  });

  it("a key, whatever its scopes, is never an owner", () => {
    expect(mayGrant(key(["admin"]), grant("editor", "viewer"))).toEqual({ ok: false, reason: "only an owner may change an owner's project roles" });
  });
});

describe("changing a member's org role", () => {
  it("an admin moves a member between roles up to their own", () => {
    expect(mayGrant(user("admin"), { kind: "org_role", role: "editor", from: "viewer" })).toEqual({ ok: true });
    expect(mayGrant(key(["admin"]), { kind: "org_role", role: "viewer", from: "admin" })).toEqual({ ok: true });
  });
});

describe("an unlimited key may issue limited keys", () => {
  it("to a model or a project, with its scopes", () => {
    expect(mayGrant(key(["admin"]), { kind: "api_key", scopes: ["ingest"], projectId: P1, modelId: M1 })).toEqual({ ok: true });
    expect(mayGrant(key(["read", "write"]), { kind: "api_key", scopes: ["write"], projectId: P1, modelId: null })).toEqual({ ok: true });
  });
});

// The reason is the 403's message: it must name the rule that refused, not a later one
// that happens to refuse too.
describe("the reason given for each refusal", () => {
  const cases: [string, ApiKeyPrincipal | UserPrincipal, Grant, string][] = [
    ["org role, project-limited key", key(["admin"], { projectId: P1 }), { kind: "org_role", role: "owner" }, "a principal limited to one project or model cannot manage org memberships, which reach every project"],
    ["org role, editor", user("editor"), { kind: "org_role", role: "owner", from: "owner" }, "managing members needs the admin role on every project of the org"],
    ["org role, admin grants owner", user("admin"), { kind: "org_role", role: "owner" }, "only an owner may grant or change the owner role"],
    ["org role, admin changes an owner", user("admin"), { kind: "org_role", role: "viewer", from: "owner" }, "only an owner may grant or change the owner role"],
    ["org role, admin key grants owner", key(["admin"]), { kind: "org_role", role: "owner" }, "only an owner may grant or change the owner role"],
    ["membership, model-limited key", key(["admin"], { projectId: P1, modelId: M1 }), { kind: "membership", target: "owner" }, "a principal limited to one project or model cannot manage org memberships"],
    ["membership, editor", user("editor"), { kind: "membership", target: "owner" }, "managing members needs the admin role on every project of the org"],
    ["membership, admin and an owner", user("admin"), { kind: "membership", target: "owner" }, "only an owner may suspend or remove an owner"],
    ["project role, other project", key(["admin"], { projectId: P2 }), { kind: "project_role", projectId: P1, role: "viewer", targetOrgRole: "owner", current: null }, "setting project roles needs the admin role in that project"],
    ["project role, editor there", user("admin", { [P1]: "editor" }), { kind: "project_role", projectId: P1, role: "owner", targetOrgRole: "owner", current: null }, "setting project roles needs the admin role in that project"],
    ["project role, admin and an owner", user("admin"), { kind: "project_role", projectId: P1, role: "viewer", targetOrgRole: "owner", current: null }, "only an owner may change an owner's project roles"],
    ["project role above own", key(["admin"], { projectId: P1 }), { kind: "project_role", projectId: P1, role: "owner", targetOrgRole: "owner", current: null }, "only an owner may change an owner's project roles"],
    ["project role above own (target admin)", key(["admin"], { projectId: P1 }), { kind: "project_role", projectId: P1, role: "owner", targetOrgRole: "admin", current: null }, "cannot grant owner in this project, above your own role there"],
    ["key, model-limited caller", key(["admin"], { projectId: P1, modelId: M1 }), { kind: "api_key", scopes: ["read"], projectId: P1, modelId: null }, "API key vgl_test is limited to one model and may only create keys limited to it"],
    ["key, project-limited caller", key(["admin"], { projectId: P1 }), { kind: "api_key", scopes: ["read"], projectId: null, modelId: null }, "API key vgl_test is limited to one project and may only create keys limited to it"],
    ["key, one scope beyond, on a project", user("admin", { [P1]: "viewer" }), { kind: "api_key", scopes: ["read", "write"], projectId: P1, modelId: null }, 'cannot grant the "write" scope: beyond what you hold on that project'],
    ["key, two scopes beyond, org-wide", key(["read"]), { kind: "api_key", scopes: ["write", "read", "ingest"], projectId: null, modelId: null }, 'cannot grant the "write", "ingest" scopes: beyond what you hold on every project of the org'],
  ];

  it.each(cases)("%s", (_name, p, g, reason) => {
    expect(mayGrant(p, g)).toEqual({ ok: false, reason });
  });
});

describe("requireGrant", () => {
  it("throws a 403 with the reason, and nothing when the grant is allowed", () => {
    expect(() => requireGrant(user("admin"), { kind: "membership", target: "owner" })).toThrow(expect.objectContaining({ status: 403, code: "forbidden", message: "only an owner may suspend or remove an owner" }));
    expect(requireGrant(user("admin"), { kind: "membership", target: "editor" })).toBeUndefined();
  });
});
