import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { bool, nullable, object, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export type Role = "owner" | "admin" | "editor" | "viewer";
export const ROLES: readonly Role[] = ["owner", "admin", "editor", "viewer"];

export interface User {
  id: string;
  email: string;
  role: string;
  name: string;
  /** Null unless the viewer is that user or an instance admin: credentials are the account's own business. */
  has_password: boolean | null;
  /** The membership is suspended in this org. */
  suspended: boolean;
}

// workers/routes/users.ts: members of the caller's org, in cursor pages of `{ items, next_cursor }`.
const parseUser: Parser<User> = (v, p) => object({ id: str, email: str, role: str, name: str, has_password: nullable(bool), suspended: withDefault(bool, false) })(v, p);

export function listUsers(api: ApiClient, signal?: AbortSignal): Promise<Page<User>> {
  return api.get("/v1/users?limit=200", page(parseUser, "items"), signal);
}

export function createUser(api: ApiClient, body: { email: string; role: Role; password?: string }): Promise<unknown> {
  return api.send("POST", "/v1/users", body, unknownValue);
}

export function setUserRole(api: ApiClient, id: string, role: Role): Promise<unknown> {
  return api.send("PATCH", `/v1/users/${encodeURIComponent(id)}`, { role }, unknownValue);
}
