// Which model version a business outcome belongs to. An outcome that names a prediction
// is joined like an actual: to the version whose ModelMonitor holds that prediction_id
// (kept 7 days for the label join). One that names none, or whose prediction no version
// holds, keeps version null and is attributed by time: the impact view counts it for
// every version that served traffic in its bucket (and in its segment, when filtered).
import { and, desc, eq } from "drizzle-orm";
import type { OutcomeEvent } from "../../durable/monitor/calls.ts";
import type { Queryable } from "../db/queryable.ts";
import { modelVersions } from "../db/schema/index.ts";
import type { Bindings } from "../env.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";

/** Versions asked per batch, newest first: older ones rarely still hold predictions within the 7-day join. */
export const MAX_VERSIONS_ASKED = 10;

export interface Attribution {
  joined: number;
  unmatched: number;
}

/**
 * Sets `version` on each outcome whose prediction_id a version holds (the sender's
 * `version` when given, else the model's newest versions in turn). Mutates the outcomes.
 */
export async function attributeOutcomes(db: Queryable, env: Bindings, orgId: string, model: { id: string; name: string }, version: string | null, outcomes: OutcomeEvent[]): Promise<Attribution> {
  const withId = outcomes.filter((o) => o.prediction_id !== undefined);
  if (version !== null) for (const o of outcomes) o.version = version;
  if (withId.length === 0) return { joined: 0, unmatched: 0 };
  const candidates = version !== null
    ? [version]
    : (await db.select({ version: modelVersions.version }).from(modelVersions).where(and(eq(modelVersions.orgId, orgId), eq(modelVersions.modelId, model.id))).orderBy(desc(modelVersions.createdAt)).limit(MAX_VERSIONS_ASKED)).map((r) => r.version);
  let waiting = withId;
  let joined = 0;
  for (const v of candidates) {
    if (waiting.length === 0) break;
    const found = new Set(await monitorStub(env, orgId, model.name, v).locatePredictions(waiting.map((o) => o.prediction_id as string)));
    const still: OutcomeEvent[] = [];
    for (const o of waiting) {
      if (found.has(o.prediction_id as string)) {
        o.version = v;
        joined++;
      } else still.push(o);
    }
    waiting = still;
  }
  // Unmatched outcomes keep the sender's version if given, else none (attributed by time).
  if (version === null) for (const o of waiting) delete o.version;
  return { joined, unmatched: waiting.length };
}
