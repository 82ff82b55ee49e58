import type { ApiKeyScope } from "./api-key.ts";

/** Who is calling, as established by authentication. */
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

export type Principal = ApiKeyPrincipal;
