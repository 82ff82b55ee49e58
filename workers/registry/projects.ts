// Projects: the org's folders of models, where keys can be limited and roles narrowed.
import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { PageQuery, afterCursor, page } from "./pagination.ts";

export const Project = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), description: z.string(), created_at: z.string() }).openapi("Project");
export const CreateProject = z
  .object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be 1-63 lower-case letters, digits or '-'"), name: z.string().min(1).max(200), description: z.string().max(10_000).default("") })
  .openapi("CreateProject");

type Row = typeof projects.$inferSelect;
const json = (r: Row): z.infer<typeof Project> => ({ id: r.id, slug: r.slug, name: r.name, description: r.description, created_at: r.createdAt.toISOString() });

/** The projects the caller can see: all of the org's, or a limited key's own. */
export async function listProjects(db: Queryable, p: Principal, q: z.infer<typeof PageQuery>) {
  const conds = [eq(projects.orgId, p.orgId), afterCursor(projects.slug, projects.id, q.cursor, "asc", "text", "uuid")];
  if (p.kind === "api_key" && p.projectId) conds.push(eq(projects.id, p.projectId));
  const rows = await db.select().from(projects).where(and(...conds)).orderBy(asc(projects.slug), asc(projects.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.slug, id: r.id }));
  return { items: result.items.map(json), next_cursor: result.next_cursor };
}

/** A key limited to a project or model cannot add projects: it could never reach them. */
export async function createProject(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof CreateProject>) {
  if (p.kind === "api_key" && (p.projectId || p.modelId)) throw new ApiError(403, "forbidden", `API key ${p.prefix} is limited to a project or model and cannot create projects`);
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(projects).values({ orgId: p.orgId, slug: body.slug, name: body.name, description: body.description }).onConflictDoNothing().returning();
    if (!created) throw new ApiError(409, "conflict", `project ${body.slug} already exists`);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "project.create", targetType: "project", targetId: created.id, after: json(created) });
    return json(created);
  });
}
