// mayGrant, case by case. Expected answers are written out by hand from the rule in
// grants.ts ("never beyond your own reach"), not computed from the code under test.
import { describe, expect, it } from "vitest";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { ApiKeyPrincipal, UserPrincipal } from "../auth/principal.ts";
import { mayGrant, type Grant } from "./grants.ts";
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
