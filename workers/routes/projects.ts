import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record.ts";
import { authorize } from "../auth/authenticate.ts";
import { projects } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { PageQuery, afterCursor, page } from "../registry/pagination.ts";
import { actorOf, principalOf } from "./request-context.ts";

const Project = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), description: z.string(), created_at: z.string() }).openapi("Project");
const CreateProject = z
  .object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be 1-63 lower-case letters, digits or '-'"), name: z.string().min(1).max(200), description: z.string().max(10_000).default("") })
  .openapi("CreateProject");
type Row = typeof projects.$inferSelect;
const json = (r: Row) => ({ id: r.id, slug: r.slug, name: r.name, description: r.description, created_at: r.createdAt.toISOString() });

const list = createRoute({
  method: "get",
  path: "/v1/projects",
  tags: ["orgs"],
  summary: "List the org's projects",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(z.object({ items: z.array(Project), next_cursor: z.string().nullable() }).openapi("ProjectPage"), "A page of projects"), ...authErrors },
});

const create = createRoute({
  method: "post",
  path: "/v1/projects",
  tags: ["orgs"],
  summary: "Create a project",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(CreateProject) },
  responses: { 201: jsonResponse(Project, "The new project"), ...authErrors, ...errorResponses(409) },
});

export const projectRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const p = principalOf(c);
    const q = c.req.valid("query");
    const conds = [eq(projects.orgId, p.orgId), afterCursor(projects.slug, projects.id, q.cursor, "asc", "text", "uuid")];
    if (p.kind === "api_key" && p.projectId) conds.push(eq(projects.id, p.projectId));
    const rows = await c.var.db().select().from(projects).where(and(...conds)).orderBy(asc(projects.slug), asc(projects.id)).limit(q.limit + 1);
    const result = page(rows, q.limit, (r) => ({ v: r.slug, id: r.id }));
    return c.json({ items: result.items.map(json), next_cursor: result.next_cursor }, 200);
  })
  .openapi(create, async (c) => {
    const p = principalOf(c);
    if (p.kind === "api_key" && (p.projectId || p.modelId)) throw new ApiError(403, "forbidden", `API key ${p.prefix} is limited to a project or model and cannot create projects`);
    const body = c.req.valid("json");
    const row = await c.var.db().transaction(async (tx) => {
      const [created] = await tx.insert(projects).values({ orgId: p.orgId, slug: body.slug, name: body.name, description: body.description }).onConflictDoNothing().returning();
      if (!created) throw new ApiError(409, "conflict", `project ${body.slug} already exists`);
      await recordAudit(tx, actorOf(c), { orgId: p.orgId, action: "project.create", targetType: "project", targetId: created.id, after: json(created) });
      return created;
    });
    return c.json(json(row), 201);
  });
