// Moves one erasure request to done, in steps that are each safe to repeat:
//   1. every ModelMonitor of the org's model versions (or of one model) erases its rows;
//      the object keeps cumulative counts per request, so a repeated call reports the
//      whole removal, and the counts are saved to Postgres after each object
//   2. business outcomes naming the subject, the listed prediction ids or the ids the
//      objects erased, deleted in the transaction that adds their count to the progress
//   3. the objects forget the prediction ids they kept for step 2
//   4. the certificate, its audit entry and status `done`, in one transaction; the
//      subject id and prediction ids leave the row there
// Redis holds no row-level record (latest aggregates per version, key cache, rate-limit
// and sign-in counters), so its count is 0 by construction (docs/compliance.md).
// Anything that throws (Postgres down, an object unreachable) releases the request with
// the reason and leaves it `running`; the next trigger resumes it from the top.
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import type { ErasureCall, ErasureResult } from "../../durable/monitor/erasure.ts";
import { recordAudit } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import type { Queryable } from "../db/queryable.ts";
import { businessOutcomes, erasureRequests, models, modelVersions } from "../db/schema/index.ts";
import { logError } from "../security/log-safe.ts";
import { certificateDocument, certificateSha256 } from "./certificate.ts";
import { claim, release, removedOf, saveProgress, type ErasureProgress, type ErasureRow } from "./requests.ts";

/** A request interrupted this many times is marked failed rather than retried forever. */
export const MAX_ATTEMPTS = 50;
const ID_CHUNK = 1_000;

/** The two monitor RPCs erasure uses (a ModelMonitor stub in the Worker). */
export interface MonitorEraser {
  erase(call: ErasureCall): Promise<ErasureResult>;
  closeErasure(requestId: string): Promise<void>;
}

export interface ErasureDeps {
  /** Postgres, asked for again at each step (a step fails alone when it is down). */
  db: () => Database;
  monitor: (orgId: string, model: string, version: string) => MonitorEraser;
  /** Names the software in the certificate, e.g. "vigil 0.1.0". */
  generator: string;
}

export type ProcessOutcome = "done" | "failed" | "interrupted" | "busy";

async function versionsOf(db: Queryable, orgId: string, model: string | null) {
  return db
    .select({ model: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(modelVersions.orgId, orgId), model === null ? undefined : eq(models.name, model)))
    .orderBy(models.name, modelVersions.version);
}

/** Deletes the org's outcomes that name the subject or one of the ids; returns how many went. */
async function deleteOutcomes(db: Queryable, row: ErasureRow, ids: readonly string[]): Promise<number> {
  const scope = and(eq(businessOutcomes.orgId, row.orgId), row.model === null ? undefined : eq(businessOutcomes.model, row.model));
  const matches: SQL[] = [];
  if (row.subjectId !== null) matches.push(eq(businessOutcomes.subjectId, row.subjectId));
  let deleted = 0;
  for (let i = 0; i < ids.length || (i === 0 && matches.length > 0); i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    const which = or(...matches, chunk.length > 0 ? inArray(businessOutcomes.predictionId, chunk) : undefined);
    deleted += (await db.delete(businessOutcomes).where(and(scope, which)).returning({ id: businessOutcomes.id })).length;
  }
  return deleted;
}

async function finish(deps: ErasureDeps, row: ErasureRow, progress: ErasureProgress, monitors: { model: string; version: string }[]): Promise<void> {
  await deps.db().transaction(async (tx) => {
    const completedAt = new Date();
    const removed = removedOf(progress);
    const document = certificateDocument({
      requestId: row.id,
      orgId: row.orgId,
      generator: deps.generator,
      target: row.target,
      requestedBy: row.requestedBy,
      requestedAt: row.requestedAt,
      startedAt: row.startedAt,
      completedAt,
      removed,
      monitors: monitors.map((m) => ({ ...m, removed: progress.monitors?.[`${m.model}:${m.version}`] ?? {} })),
    });
    const sha256 = await certificateSha256(document);
    const audit = await recordAudit(tx, { type: "system", id: "erasure" }, {
      orgId: row.orgId,
      action: "erasure.completed",
      targetType: "erasure_request",
      targetId: row.id,
      details: { certificate_sha256: sha256, removed, requested_by: row.requestedBy },
    });
    await tx
      .update(erasureRequests)
      .set({ status: "done", completedAt, removed, certificate: document, certificateSha256: sha256, auditId: audit.id, subjectId: null, predictionIds: null, leaseUntil: null, error: null, progress: progress as Record<string, unknown> })
      .where(eq(erasureRequests.id, row.id));
  });
}

async function fail(deps: ErasureDeps, row: ErasureRow, reason: string): Promise<void> {
  await deps.db().transaction(async (tx) => {
    await recordAudit(tx, { type: "system", id: "erasure" }, { orgId: row.orgId, action: "erasure.failed", targetType: "erasure_request", targetId: row.id, details: { reason } });
    await tx.update(erasureRequests).set({ status: "failed", completedAt: new Date(), subjectId: null, predictionIds: null, leaseUntil: null, error: reason }).where(eq(erasureRequests.id, row.id));
  });
}

/** Runs one request as far as it goes; "busy" when another worker holds it or it is finished. */
export async function processErasure(deps: ErasureDeps, id: string): Promise<ProcessOutcome> {
  let row: ErasureRow | undefined;
  try {
    row = await claim(deps.db(), id);
    if (!row) return "busy";
    if (row.attempts > MAX_ATTEMPTS) {
      await fail(deps, row, `interrupted ${MAX_ATTEMPTS} times; the last interruption: ${row.error ?? "unknown"}`);
      return "failed";
    }
    const progress: ErasureProgress = structuredClone(row.progress as ErasureProgress);
    const monitors = await versionsOf(deps.db(), row.orgId, row.model);
    const call: ErasureCall = { requestId: row.id, ...(row.subjectId !== null ? { subjectId: row.subjectId } : {}), ...(row.predictionIds ? { predictionIds: row.predictionIds } : {}) };
    const linked = new Set(row.predictionIds ?? []);
    for (const m of monitors) {
      const result = await deps.monitor(row.orgId, m.model, m.version).erase(call);
      for (const pid of result.predictionIds) linked.add(pid);
      progress.monitors = { ...progress.monitors, [`${m.model}:${m.version}`]: result.removed };
      await saveProgress(deps.db(), row.id, progress);
    }
    await deps.db().transaction(async (tx) => {
      progress.outcomes = (progress.outcomes ?? 0) + (await deleteOutcomes(tx, row!, [...linked]));
      await saveProgress(tx, row!.id, progress);
    });
    const closed = new Set(progress.closed ?? []);
    for (const m of monitors) {
      const name = `${m.model}:${m.version}`;
      if (closed.has(name)) continue;
      await deps.monitor(row.orgId, m.model, m.version).closeErasure(row.id);
      closed.add(name);
    }
    progress.closed = [...closed];
    await finish(deps, row, progress, monitors);
    return "done";
  } catch (error) {
    // The message may quote a value from a query; only its class is kept on the row.
    logError(`erasure request ${id} interrupted; it resumes on the next trigger`, error);
    const reason = `interrupted (${error instanceof Error ? error.name : "error"}); resumes automatically`;
    // With Postgres still down the release fails too; the lease then runs out on its own.
    if (row) await Promise.resolve(row.id).then((held) => release(deps.db(), held, reason)).catch(() => undefined);
    return "interrupted";
  }
}
