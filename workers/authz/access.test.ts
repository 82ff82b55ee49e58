// Resource-level reach, checked on principals built by hand: a key limited to a project or
// a model, a user narrowed in a project. The expected scopes are written out here, not
// taken from roles.ts.
import { describe, expect, it } from "vitest";
import type { ApiKeyPrincipal, UserPrincipal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import { orgWideRole, orgWideScopes, requireOn, requireOrgWide, roleIn, scopesOn } from "./access.ts";

const P = "project-p";
const Q = "project-q";
const M = "model-m";
const N = "model-n";

function key(scopes: ApiKeyPrincipal["scopes"], limit: { projectId?: string; modelId?: string } = {}): ApiKeyPrincipal {
  return { kind: "api_key", orgId: "org", keyId: "k", prefix: "vgl_test", scopes, projectId: limit.projectId ?? null, modelId: limit.modelId ?? null };
}

function user(role: UserPrincipal["role"], projectRoles: UserPrincipal["projectRoles"] = {}): UserPrincipal {
  return { kind: "user", orgId: "org", userId: "u", email: "u@example.test", sessionId: "s", role, projectRoles, scopes: [], instanceAdmin: false, csrfToken: "c", sessionExpiresAt: "" };
}

function statusOf(fn: () => void): number | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof ApiError) return e.status;
    throw e;
  }
}

describe("scopesOn", () => {
  it("a key limited to a project reaches that project's resources and nothing in another project", () => {
    const k = key(["write"], { projectId: P });
    expect(scopesOn(k, { projectId: P })).toEqual(["write"]);
    expect(scopesOn(k, { projectId: P, modelId: M })).toEqual(["write"]);
    expect(scopesOn(k, { projectId: Q })).toBeNull();
    expect(scopesOn(k, { projectId: Q, modelId: N })).toBeNull();
  });

  it("a key limited to a model reaches that model, and its project only as a whole (no other model)", () => {
    const k = key(["admin"], { projectId: P, modelId: M });
    expect(scopesOn(k, { projectId: P, modelId: M })).toEqual(["admin"]);
    expect(scopesOn(k, { projectId: P, modelId: N })).toBeNull();
    expect(scopesOn(k, { projectId: P })).toEqual(["admin"]);
    expect(scopesOn(k, { projectId: Q, modelId: M })).toBeNull();
  });

  it("an org-wide key reaches every project with its own scopes", () => {
    expect(scopesOn(key(["read"]), { projectId: Q, modelId: N })).toEqual(["read"]);
    expect(scopesOn(key(["ingest", "read"]), { projectId: P })).toEqual(["ingest", "read"]);
  });

  it("a user's project role narrows the org role there and never widens it", () => {
    expect(scopesOn(user("admin", { [P]: "viewer" }), { projectId: P, modelId: M })).toEqual(["read"]);
    expect(scopesOn(user("admin", { [P]: "viewer" }), { projectId: Q })).toEqual(["read", "write", "ingest", "admin"]);
    expect(scopesOn(user("viewer", { [P]: "owner" }), { projectId: P })).toEqual(["read"]);
    expect(scopesOn(user("editor"), { projectId: P })).toEqual(["read", "write", "ingest"]);
  });
});

describe("requireOn", () => {
  it("404 where the caller may not see the resource, 403 where it sees but lacks the scope", () => {
    expect(statusOf(() => requireOn(key(["admin"], { projectId: Q }), { projectId: P, modelId: M }, "read", "model m not found"))).toBe(404);
    expect(statusOf(() => requireOn(key(["read"], { projectId: P }), { projectId: P, modelId: M }, "write", "x"))).toBe(403);
    expect(statusOf(() => requireOn(key(["write"], { projectId: P }), { projectId: P, modelId: M }, "write", "x"))).toBe("ok");
    expect(statusOf(() => requireOn(key(["write"]), { projectId: P, modelId: M }, "read", "x"))).toBe("ok");
    expect(statusOf(() => requireOn(user("admin", { [P]: "viewer" }), { projectId: P, modelId: M }, "write", "x"))).toBe(403);
    expect(statusOf(() => requireOn(user("admin", { [P]: "viewer" }), { projectId: Q, modelId: N }, "write", "x"))).toBe("ok");
  });

  it("the 404 carries the not-found message and nothing about the key's limit", () => {
    try {
      requireOn(key(["admin"], { projectId: Q }), { projectId: P, modelId: M }, "read", "model credit not found");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).message).toBe("model credit not found");
    }
  });

  it("a key limited to one model may read its project as a whole but not act on it", () => {
    const k = key(["admin"], { projectId: P, modelId: M });
    expect(statusOf(() => requireOn(k, { projectId: P }, "read", "x"))).toBe("ok");
    expect(statusOf(() => requireOn(k, { projectId: P }, "write", "x"))).toBe(403);
    expect(statusOf(() => requireOn(k, { projectId: P }, "admin", "x"))).toBe(403);
    expect(statusOf(() => requireOn(k, { projectId: P, modelId: M }, "write", "x"))).toBe("ok");
  });
});

describe("the refusals' error shape", () => {
  function errorOf(fn: () => void): { status: number; code: string; message: string } {
    try {
      fn();
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, code: e.code, message: e.message };
      throw e;
    }
    throw new Error("expected a refusal");
  }

  it("names the code and what was missing, as clients and the dashboard show it", () => {
    expect(errorOf(() => requireOn(key(["admin"], { projectId: Q }), { projectId: P, modelId: M }, "read", "model m not found"))).toEqual({ status: 404, code: "not_found", message: "model m not found" });
    expect(errorOf(() => requireOn(key(["read"]), { projectId: P, modelId: M }, "write", "x"))).toEqual({ status: 403, code: "forbidden", message: 'API key vgl_test lacks the "write" scope on this project' });
    expect(errorOf(() => requireOn(user("admin", { [P]: "viewer" }), { projectId: P }, "admin", "x"))).toEqual({ status: 403, code: "forbidden", message: 'user u@example.test (admin) lacks the "admin" scope on this project' });
    expect(errorOf(() => requireOn(key(["admin"], { projectId: P, modelId: M }), { projectId: P }, "write", "x"))).toEqual({ status: 403, code: "forbidden", message: "API key vgl_test is limited to one model and cannot act on the whole project" });
    expect(errorOf(() => requireOrgWide(key(["read"]), "admin", "the audit log"))).toEqual({ status: 403, code: "forbidden", message: 'the audit log spans the whole org: API key vgl_test lacks the "admin" scope on some project of the org' });
  });
});

describe("org-wide reach", () => {
  it("is the least a principal holds anywhere; a limited key has none", () => {
    expect(orgWideRole(user("admin", { [P]: "viewer" }))).toBe("viewer");
    expect(orgWideRole(user("editor", { [P]: "owner" }))).toBe("editor");
    expect(orgWideRole(key(["admin"]))).toBe("admin");
    expect(orgWideRole(key(["write"]))).toBe("editor");
    expect(orgWideRole(key(["read"]))).toBe("viewer");
    expect(orgWideRole(key(["ingest"]))).toBeNull();
    expect(orgWideRole(key(["admin"], { projectId: P }))).toBeNull();
    expect(orgWideRole(key(["admin"], { modelId: M }))).toBeNull();
    expect(orgWideScopes(user("admin", { [P]: "viewer" }))).toEqual(["read"]);
    expect(orgWideScopes(key(["admin"], { projectId: P }))).toBeNull();
    expect(orgWideScopes(key(["write"]))).toEqual(["write"]);
  });

  it("roleIn: a project's role as a whole; none for a key limited elsewhere or to one model", () => {
    expect(roleIn(user("admin", { [P]: "viewer" }), P)).toBe("viewer");
    expect(roleIn(user("admin", { [P]: "viewer" }), Q)).toBe("admin");
    expect(roleIn(key(["admin"], { projectId: P }), P)).toBe("admin");
    expect(roleIn(key(["admin"], { projectId: P }), Q)).toBeNull();
    expect(roleIn(key(["admin"], { projectId: P, modelId: M }), P)).toBeNull();
    expect(roleIn(key(["read"]), Q)).toBe("viewer");
  });

  it("requireOrgWide: 403 for a narrowed user or a limited key, naming why", () => {
    expect(statusOf(() => requireOrgWide(key(["admin"]), "admin", "the audit log"))).toBe("ok");
    expect(statusOf(() => requireOrgWide(user("owner"), "admin", "the audit log"))).toBe("ok");
    expect(statusOf(() => requireOrgWide(user("admin", { [P]: "viewer" }), "admin", "the audit log"))).toBe(403);
    expect(statusOf(() => requireOrgWide(user("admin", { [P]: "viewer" }), "read", "the audit log"))).toBe("ok");
    expect(statusOf(() => requireOrgWide(key(["write"]), "read", "the audit log"))).toBe("ok");
    expect(statusOf(() => requireOrgWide(key(["read"]), "write", "the audit log"))).toBe(403);
    try {
      requireOrgWide(key(["admin"], { projectId: P }), "admin", "the audit log");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).message).toBe("the audit log spans the whole org: API key vgl_test is limited to one project");
    }
    try {
      requireOrgWide(key(["admin"], { projectId: P, modelId: M }), "admin", "the audit log");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).message).toBe("the audit log spans the whole org: API key vgl_test is limited to one model");
    }
    try {
      requireOrgWide(user("admin", { [P]: "viewer" }), "admin", "the audit log");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).message).toBe('the audit log spans the whole org: user u@example.test (admin) lacks the "admin" scope on some project of the org');
    }
  });
});
