// Whether a caller may read a signature target: the model version (or the baseline's
// version) must be one its key or role reaches. Missing and out of reach are the same 404.
import { and, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { baselines, modelVersions, models } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { loadModel } from "../registry/models.ts";

export async function requireTargetReadable(db: Queryable, p: Principal, targetType: "model_version" | "baseline", targetId: string): Promise<void> {
  const missing = () => new ApiError(404, "not_found", `${targetType} ${targetId} not found`);
  let versionId = targetId;
  if (targetType === "baseline") {
    const [b] = await db.select({ versionId: baselines.versionId }).from(baselines).where(and(eq(baselines.orgId, p.orgId), eq(baselines.id, targetId)));
    if (!b) throw missing();
    versionId = b.versionId;
  }
  const [v] = await db
    .select({ model: models.name })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(modelVersions.orgId, p.orgId), eq(modelVersions.id, versionId)));
  if (!v) throw missing();
  try {
    await loadModel(db, p, v.model, "read");
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw missing();
    throw err;
  }
}
