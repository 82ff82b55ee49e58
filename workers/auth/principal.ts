import type { Role } from "../authz/roles.ts";
import type { ApiKeyScope } from "./api-key.ts";

/** Who is calling, as established by authentication. Every principal acts in one org. */
export interface ApiKeyPrincipal {
  kind: "api_key";
  orgId: string;
  keyId: string;
  prefix: string;
  scopes: readonly ApiKeyScope[];
  /** When set, the key may only touch this project / model. */
  projectId: string | null;
  modelId: string | null;
}

/** A signed-in dashboard user (session cookie), acting in the org chosen at sign-in. */
export interface UserPrincipal {
  kind: "user";
  orgId: string;
  userId: string;
  email: string;
  sessionId: string;
  role: Role;
  /** Project id → a narrower role there. */
  projectRoles: Readonly<Record<string, Role>>;
  /** What the org role allows, in key scopes. */
  scopes: readonly ApiKeyScope[];
  instanceAdmin: boolean;
  /** Echoed by GET /v1/sessions so the dashboard can send it on writes. */
  csrfToken: string;
  sessionExpiresAt: string;
}

export type Principal = ApiKeyPrincipal | UserPrincipal;

/** How a principal is named in messages and audit records. */
export function principalLabel(p: Principal): string {
  return p.kind === "api_key" ? `API key ${p.prefix}` : `user ${p.email} (${p.role})`;
}
