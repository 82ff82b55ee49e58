import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { object, optional, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export type Role = "owner" | "admin" | "editor" | "viewer";
export const ROLES: readonly Role[] = ["owner", "admin", "editor", "viewer"];

export interface User {
  id: string;
  email: string;
  role: string;
  name: string;
}

const parseUser: Parser<User> = (v, p) => {
  const o = object({ id: str, email: str, role: withDefault(str, ""), name: withDefault(str, ""), display_name: optional(str) })(v, p);
  return { id: o.id, email: o.email, role: o.role, name: o.name || o.display_name || "" };
};

export function listUsers(api: ApiClient, signal?: AbortSignal): Promise<Page<User>> {
  return api.get("/v1/users", page(parseUser), signal);
}

export function createUser(api: ApiClient, body: { email: string; role: Role; password?: string }): Promise<unknown> {
  return api.send("POST", "/v1/users", body, unknownValue);
}

export function setUserRole(api: ApiClient, id: string, role: Role): Promise<unknown> {
  return api.send("PATCH", `/v1/users/${encodeURIComponent(id)}`, { role }, unknownValue);
}
