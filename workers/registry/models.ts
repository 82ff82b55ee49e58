import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { Principal } from "../auth/principal.ts";
import { requireOn } from "../authz/access.ts";
import type { Queryable } from "../db/queryable.ts";
import { models, projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { PREDICTION_KINDS } from "./feature-schema.ts";
import { PageQuery, afterCursor, msTime, page } from "./pagination.ts";
import { defaultProjectId, lockModelName } from "./versions.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ModelName = z.string().regex(NAME, "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
const Tags = z.record(z.string(), z.string());

export const Model = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    project: z.string().openapi({ description: "project slug" }),
    description: z.string(),
    prediction_kind: z.enum(PREDICTION_KINDS),
    owners: z.array(z.string()),
    tags: Tags,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Model");

export const CreateModel = z
  .object({
    name: ModelName,
    project: z.string().optional().openapi({ description: "project slug; default `default`" }),
    description: z.string().max(10_000).default(""),
    prediction_kind: z.enum(PREDICTION_KINDS),
    owners: z.array(z.string().min(1)).max(100).default([]),
    tags: Tags.default({}),
  })
  .openapi("CreateModel");

export const UpdateModel = z
  .object({
    description: z.string().max(10_000).optional(),
    prediction_kind: z.enum(PREDICTION_KINDS).optional(),
    owners: z.array(z.string().min(1)).max(100).optional(),
    tags: Tags.optional(),
    project: z.string().optional().openapi({ description: "move the model to this project (slug)" }),
    note: z.string().max(2_000).optional().openapi({ description: "why; kept in the audit log" }),
  })
  .openapi("UpdateModel");

export const ModelListQuery = PageQuery.extend({
  sort: z.enum(["name", "created_at", "updated_at"]).default("name"),
  project: z.string().optional(),
  owner: z.string().optional(),
  tag: z.string().optional().openapi({ description: "`key` or `key:value`" }),
  q: z.string().optional().openapi({ description: "substring of the name" }),
});

type ModelRow = typeof models.$inferSelect;

export function modelJson(row: ModelRow, projectSlug: string): z.infer<typeof Model> {
  return {
    id: row.id,
    name: row.name,
    project: projectSlug,
    description: row.description,
    prediction_kind: row.predictionKind as z.infer<typeof Model>["prediction_kind"],
    owners: row.owners,
    tags: row.tags,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function projectBySlug(db: Queryable, orgId: string, slug: string): Promise<string> {
  const [p] = await db.select({ id: projects.id }).from(projects).where(and(eq(projects.orgId, orgId), eq(projects.slug, slug)));
  if (!p) throw new ApiError(404, "not_found", `project ${slug} not found`);
  return p.id;
}

/** The model by name in the caller's org, checked against the caller's reach; 404 otherwise. */
export async function loadModel(db: Queryable, p: Principal, name: string, scope: ApiKeyScope = "read") {
  const [row] = await db
    .select({ m: models, project: projects.slug })
    .from(models)
    .innerJoin(projects, eq(projects.id, models.projectId))
    .where(and(eq(models.orgId, p.orgId), eq(models.name, name)));
  const message = `model ${name} not found`;
  if (!row) throw new ApiError(404, "not_found", message);
  requireOn(p, { projectId: row.m.projectId, modelId: row.m.id }, scope, message);
  return row;
}

export async function listModels(db: Queryable, p: Principal, q: z.infer<typeof ModelListQuery>) {
  const sortCol = q.sort === "name" ? models.name : msTime(q.sort === "created_at" ? models.createdAt : models.updatedAt);
  const conds: (SQL | undefined)[] = [eq(models.orgId, p.orgId)];
  if (p.kind === "api_key" && p.projectId) conds.push(eq(models.projectId, p.projectId));
  if (p.kind === "api_key" && p.modelId) conds.push(eq(models.id, p.modelId));
  if (q.project) conds.push(eq(projects.slug, q.project));
  if (q.owner) conds.push(sql`${q.owner} = any(${models.owners})`);
  if (q.tag) {
    const [k, v] = q.tag.split(/:(.*)/s);
    conds.push(v === undefined ? sql`${models.tags} ? ${k}` : sql`${models.tags} ->> ${k} = ${v}`);
  }
  if (q.q) conds.push(ilike(models.name, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`));
  conds.push(afterCursor(sortCol, models.id, q.cursor, q.order, q.sort === "name" ? "text" : "timestamptz", "uuid"));
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db
    .select({ m: models, project: projects.slug })
    .from(models)
    .innerJoin(projects, eq(projects.id, models.projectId))
    .where(and(...conds))
    .orderBy(dir(sortCol), dir(models.id))
    .limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({
    v: q.sort === "name" ? r.m.name : (q.sort === "created_at" ? r.m.createdAt : r.m.updatedAt).toISOString(),
    id: r.m.id,
  }));
  return { items: result.items.map((r) => modelJson(r.m, r.project)), next_cursor: result.next_cursor };
}

export async function createModel(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof CreateModel>) {
  return db.transaction(async (tx) => {
    const projectId = body.project ? await projectBySlug(tx, p.orgId, body.project) : await defaultProjectId(tx, p.orgId);
    requireOn(p, { projectId }, "write", `project ${body.project ?? "default"} not found`);
    await lockModelName(tx, p.orgId, body.name);
    const [exists] = await tx.select({ id: models.id }).from(models).where(and(eq(models.orgId, p.orgId), eq(models.name, body.name)));
    if (exists) throw new ApiError(409, "conflict", `model ${body.name} already exists`, { model: body.name });
    const [row] = await tx
      .insert(models)
      .values({ orgId: p.orgId, projectId, name: body.name, description: body.description, predictionKind: body.prediction_kind, owners: body.owners, tags: body.tags })
      .returning();
    const [proj] = await tx.select({ slug: projects.slug }).from(projects).where(eq(projects.id, projectId));
    const json = modelJson(row!, proj!.slug);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "model.create", targetType: "model", targetId: row!.id, after: json });
    return json;
  });
}

export async function updateModel(db: Queryable, p: Principal, actor: AuditActor, name: string, body: z.infer<typeof UpdateModel>) {
  return db.transaction(async (tx) => {
    const current = await loadModel(tx, p, name, "write");
    const before = modelJson(current.m, current.project);
    let projectId = current.m.projectId;
    if (body.project !== undefined) {
      projectId = await projectBySlug(tx, p.orgId, body.project);
      requireOn(p, { projectId }, "write", `project ${body.project} not found`);
    }
    const [row] = await tx
      .update(models)
      .set({
        ...(body.description !== undefined && { description: body.description }),
        ...(body.prediction_kind !== undefined && { predictionKind: body.prediction_kind }),
        ...(body.owners !== undefined && { owners: body.owners }),
        ...(body.tags !== undefined && { tags: body.tags }),
        projectId,
        updatedAt: new Date(),
      })
      .where(eq(models.id, current.m.id))
      .returning();
    const [proj] = await tx.select({ slug: projects.slug }).from(projects).where(eq(projects.id, projectId));
    const after = modelJson(row!, proj!.slug);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "model.update", targetType: "model", targetId: row!.id, before, after, note: body.note });
    return after;
  });
}
