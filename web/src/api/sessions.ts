import type { ApiClient } from "./client.ts";
import { array, literal, nullable, object, str, unknownValue, type Parser } from "./parse.ts";

// The sessions contract of workers/routes/sessions.ts: cookie sessions with a CSRF token.

export interface Session {
  kind: "user" | "api_key";
  org: string;
  email: string | null;
  role: string | null;
  scopes: string[];
  csrfToken: string | null;
}

export const parseSession: Parser<Session> = (v, p) => {
  const o = object({
    kind: literal("user", "api_key"),
    org: object({ id: str, slug: str }),
    user: nullable(object({ id: str, email: str })),
    role: nullable(str),
    scopes: array(str),
    csrf_token: nullable(str),
  })(v, p);
  return { kind: o.kind, org: o.org.slug, email: o.user?.email ?? null, role: o.role, scopes: o.scopes, csrfToken: o.csrf_token };
};

/** Who the browser is: the cookie session, or the key it sends. 401 when neither. */
export function currentSession(api: ApiClient, signal?: AbortSignal): Promise<Session> {
  return api.get("/v1/sessions", parseSession, signal);
}

export function signInWithPassword(api: ApiClient, email: string, password: string): Promise<Session> {
  return api.send("POST", "/v1/sessions", { email, password }, parseSession);
}

export function endSession(api: ApiClient): Promise<unknown> {
  return api.send("DELETE", "/v1/sessions", undefined, unknownValue);
}
