// Which model version an ingest call is for, and its feature schema. Cached in the
// isolate per (org, model, version) so a warm ingest path makes no Postgres round
// trip; a version's schema rarely changes, and a change reaches every isolate within
// VERSION_TTL_MS. An unknown version is registered on first ingest when the caller
// may write (write or admin scope), with a schema inferred from the batch.
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { ApiKeyScope } from "../auth/api-key.ts";
import { requireOn } from "../authz/access.ts";
import { scopeSatisfies } from "../authz/scopes.ts";
import type { Principal } from "../auth/principal.ts";
import { models } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { InFlight } from "../cache/in-flight.ts";
import { ApiError } from "../errors.ts";
import { logError } from "../security/log-safe.ts";
import { defaultProjectId, findModelVersion, registerModelVersionFromIngest, type ModelVersionRecord } from "../registry/versions.ts";
import { inferFeatureSchema, inferPredictionKind } from "./infer-schema.ts";

export const VERSION_TTL_MS = 60_000;
const MISSING_TTL_MS = 5_000;
/** While Postgres cannot be reached, a version read within this long keeps serving ingest. */
export const VERSION_STALE_IF_ERROR_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

interface CachedVersion {
  record: ModelVersionRecord | null;
  expires: number;
  fetchedAt: number;
}
const cache = new Map<string, CachedVersion>();

const keyOf = (orgId: string, model: string, version: string) => `${orgId}\n${model}\n${version}`;

function remember(key: string, record: ModelVersionRecord | null, ttl: number, fetchedAt = Date.now()) {
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { record, expires: Date.now() + ttl, fetchedAt });
}

/** This isolate reads the version again on its next use (the auto mode changed its shards: auto-shard.ts). */
export function forgetVersion(orgId: string, model: string, version: string): void {
  cache.delete(keyOf(orgId, model, version));
}

/** Test hook, and what a schema change calls in this isolate. */
export function forgetVersions(): void {
  cache.clear();
  reading.clear();
}


export interface ResolvedVersion {
  record: ModelVersionRecord;
  /** True when this call registered the version. */
  registered: boolean;
}

/** One read per version at a time in this isolate (a cold start of many senders made one each). */
const reading = new InFlight(5_000);

async function readVersion(c: Context<AppEnv>, key: string, orgId: string, model: string, version: string, hit: CachedVersion | undefined): Promise<ModelVersionRecord | null> {
  try {
    const record = (await findModelVersion(c.var.db(), orgId, model, version)) ?? null;
    remember(key, record, record ? VERSION_TTL_MS : MISSING_TTL_MS);
    return record;
  } catch (err) {
    if (!hit?.record || hit.fetchedAt + VERSION_STALE_IF_ERROR_MS <= Date.now()) throw err;
    logError(`model registry (postgres) unavailable, using ${model} ${version} as read earlier`, err);
    remember(key, hit.record, MISSING_TTL_MS, hit.fetchedAt);
    return hit.record;
  }
}

/**
 * The version, from cache or Postgres; registers it when allowed. 404 for an unknown
 * version the caller may not register, or one outside the key's project/model; 403 when
 * the caller sees the version but lacks `need` there (a user whose role is narrowed in
 * the version's project). Registering needs `write` where the version will live.
 */
export async function resolveVersion(c: Context<AppEnv>, model: string, version: string, items: readonly unknown[] | null, need: ApiKeyScope): Promise<ResolvedVersion> {
  const principal = c.var.principal;
  if (!principal) throw new Error("resolveVersion needs an authenticated principal");
  const key = keyOf(principal.orgId, model, version);
  const record = await reading.load(key, {
    fresh: () => {
      const hit = cache.get(key);
      return hit && hit.expires > Date.now() ? hit.record : undefined;
    },
    read: () => readVersion(c, key, principal.orgId, model, version, cache.get(key)),
    // Another request of this isolate is reading it: the record read last is at most
    // VERSION_TTL_MS (plus that read) old.
    stale: () => cache.get(key)?.record ?? undefined,
  });
  if (record) {
    requireOn(principal, { projectId: record.projectId, modelId: record.modelId }, need, notFound(model, version, false).message);
    return { record, registered: false };
  }
  const mayRegister = items !== null && scopeSatisfies(principal.scopes, "write");
  if (!mayRegister) throw notFound(model, version, items !== null);
  const featureSchema = inferFeatureSchema(items);
  if (featureSchema.length === 0) {
    throw new ApiError(400, "schema_inference_failed", `cannot register ${model} ${version}: no event has a features object with a value to infer a schema from`);
  }
  const actor = principal.kind === "api_key" ? { type: "api_key" as const, id: principal.keyId } : { type: "user" as const, id: principal.userId };
  // A key limited to one model may add versions to that model only; a key limited to a
  // project registers new models in its own project, where it can still see them.
  const limits = principal.kind === "api_key" ? principal : { modelId: null, projectId: null };
  await requireWriteWhereRegistered(c, principal, model, limits, notFound(model, version, false).message);
  const created = await registerModelVersionFromIngest(c.var.db(), {
    orgId: principal.orgId, model, version, featureSchema, predictionKind: inferPredictionKind(items), actor,
    ...(limits.projectId ? { projectId: limits.projectId } : {}),
  });
  const { created: registered, ...fresh } = created;
  remember(key, fresh, VERSION_TTL_MS);
  return { record: fresh, registered };
}

/**
 * Registering adds to the model's project (a new model: the key's project, else the default
 * one): the caller needs `write` there. A key limited to a model sees no other model, so a
 * new model is as unknown to it as another one (404).
 */
async function requireWriteWhereRegistered(c: Context<AppEnv>, principal: Principal, model: string, limits: { modelId: string | null; projectId: string | null }, notFoundMessage: string) {
  const db = c.var.db();
  const [existing] = await db.select({ id: models.id, projectId: models.projectId }).from(models).where(and(eq(models.orgId, principal.orgId), eq(models.name, model)));
  if (!existing && limits.modelId) throw new ApiError(404, "not_found", notFoundMessage);
  const ref = existing ? { projectId: existing.projectId, modelId: existing.id } : { projectId: limits.projectId ?? (await defaultProjectId(db, principal.orgId)) };
  requireOn(principal, ref, "write", notFoundMessage);
}

function notFound(model: string, version: string, hint: boolean): ApiError {
  const how = hint ? "; register it first, or send with a key that has the write scope to register it on first ingest" : "";
  return new ApiError(404, "not_found", `model "${model}" version "${version}" is not registered${how}`);
}
