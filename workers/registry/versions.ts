import { and, eq, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { modelVersions, models, projects, stageTransitions } from "../db/schema/index.ts";
import type { FeatureSpec, PredictionKind } from "./feature-schema.ts";
import type { ShardsMode } from "./version-schemas.ts";

// The registry's entry points for ingest: find a model version by the names clients
// send, and register one on first sight.

export interface ModelVersionRecord {
  orgId: string;
  projectId: string;
  modelId: string;
  versionId: string;
  model: string;
  version: string;
  stage: string;
  /** The version's kind, else the model's. */
  predictionKind: PredictionKind;
  featureSchema: FeatureSpec[];
  thresholds: Record<string, Record<string, unknown>>;
  /** Segment drift settings: { top_k? } (default 20). */
  segments: { top_k?: number };
  /** Monitor shards ingest is split across, and the most it ever had (issue 23; workers/ingest/shard-route.ts). */
  shards: number;
  shardsMax: number;
  /** "auto": the Worker raises `shards` while a monitor object stays overloaded (auto-shards.ts). */
  shardsMode: ShardsMode;
}

const recordColumns = {
  orgId: modelVersions.orgId,
  projectId: models.projectId,
  modelId: models.id,
  versionId: modelVersions.id,
  model: models.name,
  version: modelVersions.version,
  stage: modelVersions.stage,
  versionKind: modelVersions.predictionKind,
  modelKind: models.predictionKind,
  featureSchema: modelVersions.featureSchema,
  thresholds: modelVersions.thresholds,
  segments: modelVersions.segments,
  shards: modelVersions.shards,
  shardsMax: modelVersions.shardsMax,
  shardsMode: modelVersions.shardsMode,
};

/** A version of an org's model by name, or undefined. Another org's model is never found. */
export async function findModelVersion(db: Queryable, orgId: string, model: string, version: string): Promise<ModelVersionRecord | undefined> {
  const [row] = await db
    .select(recordColumns)
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.orgId, orgId), eq(models.name, model), eq(modelVersions.version, version)))
    .limit(1);
  if (!row) return undefined;
  const { versionKind, modelKind, featureSchema, shardsMode, ...rest } = row;
  return { ...rest, predictionKind: (versionKind ?? modelKind) as PredictionKind, featureSchema: featureSchema as FeatureSpec[], shardsMode: shardsMode as ShardsMode };
}

/** The org's "default" project, created when missing. */
export async function defaultProjectId(db: Queryable, orgId: string): Promise<string> {
  const where = and(eq(projects.orgId, orgId), eq(projects.slug, "default"));
  const [found] = await db.select({ id: projects.id }).from(projects).where(where);
  if (found) return found.id;
  await db.insert(projects).values({ orgId, slug: "default", name: "Default project" }).onConflictDoNothing();
  const [created] = await db.select({ id: projects.id }).from(projects).where(where);
  return created!.id;
}

/** Serialises registry writes for one model name within an org (across isolates). */
export async function lockModelName(db: Queryable, orgId: string, model: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`registry:${orgId}:${model}`}))`);
}

export interface IngestRegistration {
  orgId: string;
  model: string;
  version: string;
  featureSchema: FeatureSpec[];
  predictionKind: PredictionKind;
  /** Defaults to the system actor "ingest". */
  actor?: AuditActor;
  /** Where a new model goes (a project-limited key's project); default: the org's "default" project. */
  projectId?: string;
}

/**
 * Finds the version, or creates it (and its model, in the org's default project) the
 * first time ingest sees it. Safe under concurrent calls: the advisory lock plus
 * ON CONFLICT make exactly one caller create it; every caller gets the same record.
 * Creation is audited in the same transaction. An existing version is returned as is
 * (its schema is not overwritten by what a client happened to send).
 */
export async function registerModelVersionFromIngest(
  db: Queryable,
  input: IngestRegistration,
): Promise<ModelVersionRecord & { created: boolean }> {
  const existing = await findModelVersion(db, input.orgId, input.model, input.version);
  if (existing) return { ...existing, created: false };
  const actor = input.actor ?? { type: "system", id: "ingest" };
  return db.transaction(async (tx) => {
    await lockModelName(tx, input.orgId, input.model);
    const again = await findModelVersion(tx, input.orgId, input.model, input.version);
    if (again) return { ...again, created: false };

    let [model] = await tx.select().from(models).where(and(eq(models.orgId, input.orgId), eq(models.name, input.model)));
    if (!model) {
      const projectId = input.projectId ?? (await defaultProjectId(tx, input.orgId));
      [model] = await tx.insert(models).values({ orgId: input.orgId, projectId, name: input.model, predictionKind: input.predictionKind }).returning();
      await recordAudit(tx, actor, {
        orgId: input.orgId,
        action: "model.create",
        targetType: "model",
        targetId: model!.id,
        after: { name: input.model, prediction_kind: input.predictionKind, project_id: projectId },
        note: "registered on first ingest",
      });
    }
    const [version] = await tx
      .insert(modelVersions)
      .values({ orgId: input.orgId, modelId: model!.id, version: input.version, featureSchema: input.featureSchema, predictionKind: input.predictionKind })
      .returning();
    await tx.insert(stageTransitions).values({ orgId: input.orgId, versionId: version!.id, fromStage: null, toStage: version!.stage, actor: `${actor.type}:${actor.id}`, note: "registered on first ingest" });
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "model_version.create",
      targetType: "model_version",
      targetId: version!.id,
      after: { model: input.model, version: input.version, stage: version!.stage, feature_schema: input.featureSchema, prediction_kind: input.predictionKind },
      note: "registered on first ingest",
    });
    const record = await findModelVersion(tx, input.orgId, input.model, input.version);
    return { ...record!, created: true };
  });
}
