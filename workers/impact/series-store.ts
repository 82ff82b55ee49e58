// Writes the ModelMonitor's event-time series points (durable/monitor/series.ts) to
// monitor_series. A point is rewritten whenever its bucket changes (late events, labels),
// so this is an upsert; the monitor's clock (`revision`, the outbox row's time) keeps a
// re-sent older row from overwriting a newer point.
import { sql } from "drizzle-orm";
import type { AggregateRecord } from "../../durable/monitor/outbox.ts";
import type { Queryable } from "../db/queryable.ts";
import { monitorSeries } from "../db/schema/index.ts";

type Row = typeof monitorSeries.$inferInsert;

/** The series rows of outbox records; a later record's point replaces an earlier one of the same bucket. */
export function seriesRows(records: readonly AggregateRecord[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const r of records) {
    for (const p of r.series ?? []) {
      byKey.set(`${r.orgId}\n${r.model}\n${r.version}\n${p.granularity}\n${p.t}`, {
        orgId: r.orgId, model: r.model, version: r.version, granularity: p.granularity, t: new Date(p.t),
        rows: p.rows, labeled: p.labeled, driftShare: p.drift_share, drifted: p.drifted, featureScores: p.feature_scores,
        predictionScore: p.prediction_score, metrics: p.metrics, perf: p.perf, revision: r.at,
      });
    }
  }
  return [...byKey.values()];
}

/** Rows per statement: 15 columns each, well under Postgres' 65,535 parameters. */
const CHUNK = 500;

export async function upsertSeries(db: Queryable, records: readonly AggregateRecord[]): Promise<void> {
  const rows = seriesRows(records);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insert(monitorSeries)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [monitorSeries.orgId, monitorSeries.model, monitorSeries.version, monitorSeries.granularity, monitorSeries.t],
        set: {
          rows: sql`excluded.rows`, labeled: sql`excluded.labeled`, driftShare: sql`excluded.drift_share`, drifted: sql`excluded.drifted`,
          featureScores: sql`excluded.feature_scores`, predictionScore: sql`excluded.prediction_score`, metrics: sql`excluded.metrics`,
          perf: sql`excluded.perf`, revision: sql`excluded.revision`,
        },
        setWhere: sql`${monitorSeries.revision} <= excluded.revision`,
      });
  }
}
