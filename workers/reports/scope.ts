// What a report is about, and whether the caller may read it. drift and performance
// cover one model version, model-risk one model (every version, or one), audit-trail and
// gdpr-processing the org, a project or a model. A model or project the caller cannot
// see is 404 (named like a missing one, so nothing leaks); one it sees without the
// needed scope is 403. Compliance kinds (audit-trail, gdpr-processing) need admin, as
// the audit log and erasure requests do; the others need read.
import { and, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { requireOn, requireOrgWide } from "../authz/access.ts";
import type { Queryable } from "../db/queryable.ts";
import { modelVersions, models, projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { findModelVersion, type ModelVersionRecord } from "../registry/versions.ts";
import type { ReportKind } from "./document.ts";
import type { ReportRequestBody } from "./request.ts";

export interface ReportScope {
  orgId: string;
  project: { id: string; slug: string; name: string } | null;
  model: { id: string; name: string; projectId: string; predictionKind: string; description: string; owners: string[]; tags: Record<string, string>; createdAt: Date } | null;
  version: ModelVersionRecord | null;
}

const needsVersion = (kind: ReportKind) => kind === "drift" || kind === "performance";
const isCompliance = (kind: ReportKind) => kind === "audit-trail" || kind === "gdpr-processing";

function bad(field: string, error: string): ApiError {
  return new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
}

/** Checks which of project, model and version the kind takes, before anything is read. */
export function checkScopeFields(body: Pick<ReportRequestBody, "kind" | "project" | "model" | "version">): void {
  const { kind } = body;
  if (needsVersion(kind)) {
    if (!body.model) throw bad("model", `is required for a ${kind} report`);
    if (!body.version) throw bad("version", `is required for a ${kind} report`);
  }
  if (kind === "model-risk" && !body.model) throw bad("model", "is required for a model-risk report");
  if (body.version && !body.model) throw bad("version", "needs model");
  if (body.project && body.model) throw bad("project", "give either project or model, not both (a model belongs to one project)");
  if (body.project && !isCompliance(kind)) throw bad("project", `a ${kind} report is about a model: give model${needsVersion(kind) ? " and version" : ""}`);
  if (kind === "gdpr-processing" && body.version) throw bad("version", "a gdpr-processing record covers every version of a model");
}

/**
 * The scope a request names, checked against the caller: read on it (admin for the
 * compliance kinds), or `write` where the caller sets up something standing, like a schedule.
 */
export async function resolveScope(db: Queryable, p: Principal, body: Pick<ReportRequestBody, "kind" | "project" | "model" | "version">, least: "read" | "write" = "read"): Promise<ReportScope> {
  checkScopeFields(body);
  const scope = isCompliance(body.kind) ? "admin" : least;
  const out: ReportScope = { orgId: p.orgId, project: null, model: null, version: null };
  if (body.model) {
    const [row] = await db
      .select({ m: models, project: { id: projects.id, slug: projects.slug, name: projects.name } })
      .from(models)
      .innerJoin(projects, eq(projects.id, models.projectId))
      .where(and(eq(models.orgId, p.orgId), eq(models.name, body.model)));
    const message = `model ${body.model} not found`;
    if (!row) throw new ApiError(404, "not_found", message);
    requireOn(p, { projectId: row.m.projectId, modelId: row.m.id }, scope, message);
    out.project = row.project;
    out.model = { id: row.m.id, name: row.m.name, projectId: row.m.projectId, predictionKind: row.m.predictionKind, description: row.m.description, owners: row.m.owners, tags: row.m.tags, createdAt: row.m.createdAt };
    if (body.version) {
      const version = await findModelVersion(db, p.orgId, body.model, body.version);
      if (!version) throw new ApiError(404, "not_found", `model ${body.model} has no version ${body.version}`);
      out.version = version;
    }
    return out;
  }
  if (body.project) {
    const [row] = await db.select({ id: projects.id, slug: projects.slug, name: projects.name }).from(projects).where(and(eq(projects.orgId, p.orgId), eq(projects.slug, body.project)));
    const message = `project ${body.project} not found`;
    if (!row) throw new ApiError(404, "not_found", message);
    requireOn(p, { projectId: row.id }, scope, message);
    out.project = row;
    return out;
  }
  requireOrgWide(p, scope, `an org-wide ${body.kind} report`);
  return out;
}

/** The versions of the scope's model, oldest first (model-risk, gdpr-processing). */
export async function versionsOf(db: Queryable, modelId: string) {
  return db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(modelVersions.createdAt);
}
