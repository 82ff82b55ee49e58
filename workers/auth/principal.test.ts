import { describe, expect, it } from "vitest";
import { principalLabel } from "./principal.ts";

describe("principalLabel", () => {
  it("names a key by its prefix and a user by email and role, as messages and audit records show them", () => {
    expect(principalLabel({ kind: "api_key", orgId: "o", keyId: "k", prefix: "vgl_ab12cd34", scopes: ["read"], projectId: null, modelId: null })).toBe("API key vgl_ab12cd34");
    expect(principalLabel({ kind: "user", orgId: "o", userId: "u", email: "ada@example.test", sessionId: "s", role: "editor", projectRoles: {}, scopes: ["read"], instanceAdmin: false, csrfToken: "t", sessionExpiresAt: "" })).toBe("user ada@example.test (editor)");
  });
});
