import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { UuidParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { ChangePassword, changeOwnPassword } from "../users/accounts.ts";
import { Member, MemberListQuery, getMember, listMembers } from "../users/member-view.ts";
import { CreateMember, UpdateMember, addMember, removeMember, updateMember } from "../users/members.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["users"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List the org's users and their roles",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: MemberListQuery },
  responses: { 200: jsonResponse(pageOf(Member).openapi("UserPage"), "A page of users"), ...authErrors },
});

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Add a user to the org (creating the account if new)",
  description:
    "Grants a membership in the caller's org. Only owners may grant the owner role; nobody grants a role above their own, and a key or user limited to one project cannot add members (a membership reaches every project). `name` and `password` (>= 12 characters, hashed with scrypt) apply only to a new account: an existing account keeps its own, and the response says nothing about its credentials or other orgs.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(CreateMember) },
  responses: { 201: jsonResponse(Member, "The member"), ...authErrors, ...errorResponses(409) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Get a user of the org",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: UuidParams },
  responses: { 200: jsonResponse(Member, "The member"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change a member's role or project roles, suspend the membership, or (yourself or an instance admin) the account's name or disabled flag",
  description:
    "`role`, `project_roles` and `suspended` change the membership in this org, within the caller's reach (workers/authz/grants.ts). `name` and `disabled` change the global account and are refused (403) unless the caller is that user or an instance admin; such changes are audited in every org the account belongs to.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams, body: jsonBody(UpdateMember) },
  responses: { 200: jsonResponse(Member, "The member"), ...authErrors, ...errorResponses(404, 409) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Remove a user from the org (revokes their sessions here)",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams },
  responses: { 204: { description: "Removed" }, ...authErrors, ...errorResponses(404, 409) },
});

const password = createRoute({
  method: "put",
  path: "/me/password",
  tags,
  summary: "Set your own password (signed-in users; ends your other sessions)",
  security: [{ session: [] }],
  middleware: [authorize({ scope: "read" })] as const,
  request: { body: jsonBody(ChangePassword) },
  responses: { 204: { description: "Password set" }, ...authErrors, ...errorResponses(404) },
});

export const userRoutes = new OpenAPIHono<AppEnv>()
  // Before /v1/users/{id}, so "me" is not taken for an id.
  .openapi(password, async (c) => {
    await changeOwnPassword(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json"));
    return c.body(null, 204);
  })
  .openapi(list, async (c) => c.json(await listMembers(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(create, async (c) => c.json(await addMember(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201))
  .openapi(get, async (c) => c.json(await getMember(c.var.db(), principalOf(c), c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await updateMember(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(remove, async (c) => {
    await removeMember(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
