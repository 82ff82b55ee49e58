import { DEFAULT_TOP_K } from "../../stats/streaming/segments.ts";
import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, ne, type SQL } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { baselines, modelVersions, stageTransitions } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { gateChange, type GateResult } from "../signatures/gate.ts";
import { approvalsRequired } from "../signatures/policy.ts";
import { promotionRecord, sameJson, thresholdRecord } from "../signatures/records.ts";
import type { ApprovalView } from "../signatures/schemas.ts";
import type { Signer } from "../signatures/signer.ts";
import type { FeatureSpec } from "./feature-schema.ts";
import { loadModel } from "./models.ts";
import { afterCursor, msTime, page } from "./pagination.ts";
import type { CreateVersion, Promote, PromoteResult, Shards, ShardsMode, Thresholds, UpdateVersion, Version, VersionListQuery } from "./version-schemas.ts";
import { lockModelName } from "./versions.ts";

type VersionRow = typeof modelVersions.$inferSelect;
type VersionJson = z.infer<typeof Version>;

function versionJson(row: VersionRow, model: { name: string; predictionKind: string }, activeBaseline: string | null): VersionJson {
  return {
    id: row.id,
    model: model.name,
    version: row.version,
    stage: row.stage as VersionJson["stage"],
    prediction_kind: (row.predictionKind ?? model.predictionKind) as VersionJson["prediction_kind"],
    feature_schema: row.featureSchema as FeatureSpec[],
    description: row.description,
    owners: row.owners,
    tags: row.tags,
    links: row.links,
    thresholds: row.thresholds as z.infer<typeof Thresholds>,
    segments: { top_k: row.segments.top_k ?? DEFAULT_TOP_K },
    shards: row.shards,
    shards_mode: row.shardsMode as ShardsMode,
    active_baseline: activeBaseline,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * The columns a `shards` value sets: a number is a fixed N (and starts the auto mode's
 * cool-down when it changes N); "auto" switches the mode and keeps the N in effect, from
 * which the auto mode raises it (auto-shards.ts). shards_max only grows: the primary
 * merges from every shard that ever held data (durable/monitor/shard-merge.ts).
 */
function shardColumns(shards: z.infer<typeof Shards>, row: Pick<VersionRow, "shards" | "shardsMax" | "shardsMode"> | null) {
  // Switching a live version to auto starts the cool-down too: its first step waits until every
  // isolate's version cache (60 s) knows it is auto and claims its batch ids (store-events.ts).
  if (shards === "auto") return { shardsMode: "auto" satisfies ShardsMode, ...(row !== null && row.shardsMode !== "auto" ? { shardsChangedAt: new Date() } : {}) };
  const changed = row !== null && row.shards !== shards;
  return { shardsMode: "fixed" satisfies ShardsMode, shards, shardsMax: Math.max(row?.shardsMax ?? 1, shards), ...(changed ? { shardsChangedAt: new Date() } : {}) };
}

async function activeBaselineOf(db: Queryable, versionId: string): Promise<string | null> {
  const [b] = await db.select({ id: baselines.id }).from(baselines).where(and(eq(baselines.versionId, versionId), eq(baselines.active, true)));
  return b?.id ?? null;
}

function checkThresholds(thresholds: Record<string, unknown> | undefined, schema: FeatureSpec[]) {
  if (!thresholds || schema.length === 0) return;
  const names = new Set(schema.map((f) => f.name));
  const unknown = Object.keys(thresholds).filter((k) => !names.has(k) && k !== "__prediction__");
  if (unknown.length) {
    throw new ApiError(400, "validation_failed", `invalid json: thresholds.${unknown[0]}: not a feature of this version`, unknown.map((k) => ({ field: `thresholds.${k}`, error: "not a feature of this version" })));
  }
}

/** A version of a visible model, 404 when either is missing or out of the caller's reach. */
export async function loadVersion(db: Queryable, p: Principal, model: string, version: string, scope: "read" | "write" = "read") {
  const { m } = await loadModel(db, p, model, scope);
  const [row] = await db.select().from(modelVersions).where(and(eq(modelVersions.modelId, m.id), eq(modelVersions.version, version)));
  if (!row) throw new ApiError(404, "not_found", `version ${version} of model ${model} not found`);
  return { model: m, row };
}

export async function getVersion(db: Queryable, p: Principal, model: string, version: string): Promise<VersionJson> {
  const { model: m, row } = await loadVersion(db, p, model, version);
  const transitions = await db.select().from(stageTransitions).where(eq(stageTransitions.versionId, row.id)).orderBy(asc(stageTransitions.id));
  return {
    ...versionJson(row, m, await activeBaselineOf(db, row.id)),
    transitions: transitions.map((t) => ({ from: t.fromStage as VersionJson["stage"] | null, to: t.toStage as VersionJson["stage"], actor: t.actor, note: t.note, at: t.at.toISOString() })),
  };
}

export async function listVersions(db: Queryable, p: Principal, model: string, q: z.infer<typeof VersionListQuery>) {
  const { m } = await loadModel(db, p, model);
  const sortCol = q.sort === "version" ? modelVersions.version : msTime(modelVersions.createdAt);
  const conds: (SQL | undefined)[] = [eq(modelVersions.modelId, m.id)];
  if (q.stage) conds.push(eq(modelVersions.stage, q.stage));
  conds.push(afterCursor(sortCol, modelVersions.id, q.cursor, q.order, q.sort === "version" ? "text" : "timestamptz", "uuid"));
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db.select().from(modelVersions).where(and(...conds)).orderBy(dir(sortCol), dir(modelVersions.id)).limit(q.limit + 1);
  const active = await db.select({ id: baselines.id, versionId: baselines.versionId }).from(baselines).where(and(eq(baselines.orgId, p.orgId), eq(baselines.active, true)));
  const activeBy = new Map(active.map((a) => [a.versionId, a.id]));
  const result = page(rows, q.limit, (r) => ({ v: q.sort === "version" ? r.version : r.createdAt.toISOString(), id: r.id }));
  return { items: result.items.map((r) => versionJson(r, m, activeBy.get(r.id) ?? null)), next_cursor: result.next_cursor };
}

const actorName = (a: AuditActor) => `${a.type}:${a.id}`;

async function transition(tx: Queryable, actor: AuditActor, orgId: string, row: VersionRow, to: string, note: string) {
  await tx.update(modelVersions).set({ stage: to, updatedAt: new Date() }).where(eq(modelVersions.id, row.id));
  await tx.insert(stageTransitions).values({ orgId, versionId: row.id, fromStage: row.stage, toStage: to, actor: actorName(actor), note });
  await recordAudit(tx, actor, { orgId, action: "model_version.stage", targetType: "model_version", targetId: row.id, before: { stage: row.stage }, after: { stage: to }, note, details: { version: row.version } });
}

export async function createVersion(db: Queryable, p: Principal, actor: AuditActor, model: string, body: z.infer<typeof CreateVersion>): Promise<VersionJson> {
  checkThresholds(body.thresholds, body.feature_schema);
  return db.transaction(async (tx) => {
    const { m } = await loadModel(tx, p, model, "write");
    await lockModelName(tx, p.orgId, m.name);
    const [exists] = await tx.select({ id: modelVersions.id }).from(modelVersions).where(and(eq(modelVersions.modelId, m.id), eq(modelVersions.version, body.version)));
    if (exists) throw new ApiError(409, "conflict", `version ${body.version} of model ${model} already exists`, { model, version: body.version });
    const [row] = await tx
      .insert(modelVersions)
      .values({
        orgId: p.orgId,
        modelId: m.id,
        version: body.version,
        stage: body.stage,
        featureSchema: body.feature_schema,
        predictionKind: body.prediction_kind ?? null,
        description: body.description,
        owners: body.owners,
        tags: body.tags,
        links: body.links as Record<string, string>,
        thresholds: body.thresholds,
        segments: body.segments,
        ...shardColumns(body.shards, null),
      })
      .returning();
    await tx.insert(stageTransitions).values({ orgId: p.orgId, versionId: row!.id, fromStage: null, toStage: body.stage, actor: actorName(actor), note: "created" });
    const json = versionJson(row!, m, null);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "model_version.create", targetType: "model_version", targetId: row!.id, after: json });
    return json;
  });
}

/** A signed change that waits for more signers: nothing changed yet. */
export interface PendingApproval {
  pending: ApprovalView;
}

/**
 * Changes a version. A threshold change passes the org's signature gate (a change that
 * waits for more signers returns `{ pending }` and changes nothing); a stage change to
 * production while promotions need signatures is refused here: it is signed through
 * POST …/promote, which alone builds the promotion record.
 */
export async function updateVersion(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, body: z.infer<typeof UpdateVersion>, signer?: Signer): Promise<VersionJson | PendingApproval> {
  return db.transaction(async (tx) => {
    const { model: m, row } = await loadVersion(tx, p, model, version, "write");
    checkThresholds(body.thresholds, body.feature_schema ?? (row.featureSchema as FeatureSpec[]));
    if (body.stage === "production" && row.stage !== "production" && (await approvalsRequired(tx, p.orgId, "production_promotion")) > 0) {
      throw new ApiError(428, "signature_required", `promotions to production need electronic signatures in this org: use POST /v1/models/${m.name}/versions/${row.version}/promote with "signature"`, { action: "production_promotion", field: "stage" });
    }
    const thresholdsChange = body.thresholds !== undefined && !sameJson(body.thresholds, row.thresholds);
    if (thresholdsChange || signer) {
      if (!thresholdsChange) throw new ApiError(400, "validation_failed", "signature: only a change of thresholds is signed here", [{ field: "signature", error: "only a change of thresholds is signed through PATCH" }]);
      const gate = await gateChange(tx, p.orgId, actor, thresholdRecord({ orgId: p.orgId, model: m.name, version: row.version, versionId: row.id }, row.thresholds, body.thresholds), signer);
      if (gate.state === "pending") return { pending: gate.approval };
    }
    const active = await activeBaselineOf(tx, row.id);
    const before = versionJson(row, m, active);
    const [updated] = await tx
      .update(modelVersions)
      .set({
        ...(body.feature_schema !== undefined && { featureSchema: body.feature_schema }),
        ...(body.prediction_kind !== undefined && { predictionKind: body.prediction_kind }),
        ...(body.description !== undefined && { description: body.description }),
        ...(body.owners !== undefined && { owners: body.owners }),
        ...(body.tags !== undefined && { tags: body.tags }),
        ...(body.links !== undefined && { links: body.links as Record<string, string> }),
        ...(body.thresholds !== undefined && { thresholds: body.thresholds }),
        ...(body.segments !== undefined && { segments: body.segments }),
        ...(body.shards !== undefined && shardColumns(body.shards, row)),
        updatedAt: new Date(),
      })
      .where(eq(modelVersions.id, row.id))
      .returning();
    const { stage: _s, signature: _sig, ...fields } = body;
    const changed = Object.keys(fields).filter((k) => k !== "note");
    if (changed.length) {
      const after = versionJson(updated!, m, active);
      // Threshold changes get their own action so they are easy to find in the log.
      const action = changed.length === 1 && changed[0] === "thresholds" ? "thresholds.update" : "model_version.update";
      await recordAudit(tx, actor, { orgId: p.orgId, action, targetType: "model_version", targetId: row.id, before, after, note: body.note });
    }
    if (body.stage !== undefined && body.stage !== row.stage) await transition(tx, actor, p.orgId, updated!, body.stage, body.note ?? "");
    const [final] = await tx.select().from(modelVersions).where(eq(modelVersions.id, row.id));
    return versionJson(final!, m, active);
  });
}

/**
 * Moves a version to staging or production. Versions already in the target stage are
 * archived unless `archive_previous` is false (champion/challenger); every move is a
 * recorded transition and an audit record, all in one transaction.
 */
export async function promoteVersion(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, body: z.infer<typeof Promote>, signer?: Signer): Promise<z.infer<typeof PromoteResult> | PendingApproval> {
  return db.transaction(async (tx) => {
    const { model: m } = await loadVersion(tx, p, model, version, "write");
    await lockModelName(tx, p.orgId, m.name);
    const [row] = await tx.select().from(modelVersions).where(and(eq(modelVersions.modelId, m.id), eq(modelVersions.version, version)));
    if (!row) throw new ApiError(404, "not_found", `version ${version} of model ${model} not found`);
    if (row.stage === body.stage) throw new ApiError(409, "conflict", `version ${version} is already in ${body.stage}`);
    let gate: GateResult = { state: "approved", signatures: [] };
    if (body.stage === "production") {
      const record = promotionRecord({ orgId: p.orgId, model: m.name, version: row.version, versionId: row.id }, await activeBaselineOf(tx, row.id), row.thresholds);
      gate = await gateChange(tx, p.orgId, actor, record, signer);
      if (gate.state === "pending") return { pending: gate.approval };
    } else if (signer) {
      throw new ApiError(400, "validation_failed", "signature: only a promotion to production is signed", [{ field: "signature", error: "only a promotion to production is signed" }]);
    }
    const note = body.note ?? "";
    const archived: string[] = [];
    if (body.archive_previous) {
      const previous = await tx.select().from(modelVersions).where(and(eq(modelVersions.modelId, m.id), eq(modelVersions.stage, body.stage), ne(modelVersions.id, row.id)));
      for (const prev of previous) {
        await transition(tx, actor, p.orgId, prev, "archived", note || `superseded by ${version}`);
        archived.push(prev.version);
      }
    }
    await transition(tx, actor, p.orgId, row, body.stage, note);
    const [final] = await tx.select().from(modelVersions).where(eq(modelVersions.id, row.id));
    return { version: versionJson(final!, m, await activeBaselineOf(tx, row.id)), archived, signatures: gate.signatures };
  });
}
