// Business outcomes (KPIs) are low-volume and read as history, so they skip the Durable
// Object and go straight to Postgres. A batch re-sent with the same batch_id adds nothing:
// the unique index over (org, model, batch, prediction, kpi, time) drops the repeats.
import type { OutcomeEvent } from "../../durable/monitor/calls.ts";
import type { Database } from "../db/client.ts";
import { businessOutcomes } from "../db/schema/index.ts";

/** Stores validated outcomes of one model; repeats of a stored batch are ignored. */
export async function storeOutcomes(db: Database, orgId: string, model: string, batchId: string | null, outcomes: readonly OutcomeEvent[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) => ({
    orgId, model, predictionId: o.prediction_id ?? null, subjectId: o.subject_id ?? null, at: new Date(o.timestamp), kpi: o.kpi, value: o.value, batchId,
    version: o.version ?? null, segment: o.segment ?? null,
  }));
  await db.insert(businessOutcomes).values(rows).onConflictDoNothing();
}
