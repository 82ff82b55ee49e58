// The registry side of the "auto" shard mode (issue 23; docs/architecture.md, "Sharded
// monitors", "The auto mode"): one step up of a version's shards, when one of its monitor
// objects said it stays overloaded (durable/monitor/load-tracker.ts).
//
// - Doubling: the load an object sheds is its share of the events, which halves; a step of
//   +1 would take up to 15 cool-downs (over 20 minutes) to reach 16, doubling takes 4.
// - One step per change, whoever sees the verdict: the UPDATE applies only if `shards` is
//   still the N the caller read, the mode is still auto, and no change of `shards` (a
//   user's or the auto mode's) happened within the cool-down. Several Workers holding
//   verdicts from several shards thus make one step, not one each; Postgres's clock
//   decides the cool-down, not the Workers'.
// - shards_max rises with it, so the sharded path and the coordinator's merge cover the
//   new shards (a version at shards 1 goes sharded here, as a PATCH would make it).
// - Audited as the system actor "auto-shards", in the same transaction.
// - Never lowers: see docs/architecture.md.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { DEFAULT_LOAD_POLICY } from "../../durable/monitor/load-tracker.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { modelVersions } from "../db/schema/index.ts";
import { MAX_SHARDS } from "./version-schemas.ts";
import type { ModelVersionRecord } from "./versions.ts";

export const AUTO_SHARDS_ACTOR: AuditActor = { type: "system", id: "auto-shards" };

/** No second step within this long of any change of `shards` (the objects' own cool-down; load-tracker.ts says why 90 s). */
export const AUTO_SHARDS_COOL_DOWN_MS = DEFAULT_LOAD_POLICY.coolDownMs;

/** The N after one step from `shards`. */
export function nextShards(shards: number): number {
  return Math.min(MAX_SHARDS, shards * 2);
}

/**
 * Raises the version's shards one step from `read.shards`; the new N, or null when the
 * step was not taken (already at 16, the mode is fixed now, another Worker stepped from
 * this N, or the cool-down is running).
 */
export async function raiseShards(db: Queryable, read: Pick<ModelVersionRecord, "orgId" | "versionId" | "model" | "version" | "shards" | "shardsMax">, reason: string): Promise<number | null> {
  const to = nextShards(read.shards);
  if (to === read.shards) return null;
  return db.transaction(async (tx) => {
    const [raised] = await tx
      .update(modelVersions)
      .set({ shards: to, shardsMax: sql`greatest(${modelVersions.shardsMax}, ${to})`, shardsChangedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(modelVersions.id, read.versionId),
          eq(modelVersions.shards, read.shards),
          eq(modelVersions.shardsMode, "auto"),
          or(isNull(modelVersions.shardsChangedAt), lt(modelVersions.shardsChangedAt, sql`now() - make_interval(secs => ${AUTO_SHARDS_COOL_DOWN_MS / 1_000})`)),
        ),
      )
      .returning({ shards: modelVersions.shards, shardsMax: modelVersions.shardsMax });
    if (!raised) return null;
    await recordAudit(tx, AUTO_SHARDS_ACTOR, {
      orgId: read.orgId,
      action: "model_version.shards_auto",
      targetType: "model_version",
      targetId: read.versionId,
      before: { shards: read.shards, shards_max: read.shardsMax },
      after: { shards: raised.shards, shards_max: raised.shardsMax },
      note: reason,
      details: { model: read.model, version: read.version },
    });
    return raised.shards;
  });
}
