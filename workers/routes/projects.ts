import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { PageQuery } from "../registry/pagination.ts";
import { CreateProject, Project, createProject, listProjects } from "../registry/projects.ts";
import { actorOf, principalOf } from "./request-context.ts";

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["orgs"],
  summary: "List the org's projects",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(z.object({ items: z.array(Project), next_cursor: z.string().nullable() }).openapi("ProjectPage"), "A page of projects"), ...authErrors },
});

const create = createRoute({
  method: "post",
  path: "/",
  tags: ["orgs"],
  summary: "Create a project",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(CreateProject) },
  responses: { 201: jsonResponse(Project, "The new project"), ...authErrors, ...errorResponses(409) },
});

export const projectRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listProjects(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(create, async (c) => c.json(await createProject(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201));
