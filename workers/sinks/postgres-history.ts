// Outbox sink: monitoring history into Postgres, one batched insert per table. Points
// already stored (a retry after a partial failure) are skipped by the unique keys; the
// event-time series points (monitor_series) are upserted, newest revision winning.
import type { AggregateRecord, Sink } from "../../durable/monitor/outbox.ts";
import { openDatabase } from "../db/client.ts";
import { featureScores, monitorAggregates } from "../db/schema/index.ts";
import { upsertSeries } from "../impact/series-store.ts";

export function aggregateRows(records: readonly AggregateRecord[]) {
  const aggregates: (typeof monitorAggregates.$inferInsert)[] = [];
  const scores: (typeof featureScores.$inferInsert)[] = [];
  for (const r of records) {
    const at = new Date(r.at);
    const sets = [{ segment: "", windows: r.windows }, ...(r.segments ?? []).map((s) => ({ segment: s.key, windows: s.windows }))];
    for (const { segment, windows } of sets) for (const w of windows) {
      const base = { orgId: r.orgId, model: r.model, version: r.version, window: w.window, segment, at };
      const { features, ...summary } = w;
      aggregates.push({
        ...base, windowFrom: new Date(w.from), tick: r.tick, rows: w.rows, driftShare: w.driftShare,
        driftedFeatures: features.filter((f) => f.drifted).length, summary,
      });
      for (const f of features) {
        scores.push({ ...base, feature: f.feature, method: f.method, score: f.score, threshold: f.threshold, drifted: f.drifted, count: f.count });
      }
    }
  }
  return { aggregates, scores };
}

/** Rows per INSERT statement, well under Postgres' 65,535 bind parameters. */
const CHUNK = 1_000;

export function postgresHistorySink(databaseUrl: string, relay: string | undefined): Sink {
  return {
    name: "postgres",
    async send(records) {
      const { aggregates, scores } = aggregateRows(records);
      const db = openDatabase(databaseUrl, relay);
      try {
        for (let i = 0; i < aggregates.length; i += CHUNK) {
          await db.insert(monitorAggregates).values(aggregates.slice(i, i + CHUNK)).onConflictDoNothing();
        }
        for (let i = 0; i < scores.length; i += CHUNK) {
          await db.insert(featureScores).values(scores.slice(i, i + CHUNK)).onConflictDoNothing();
        }
        await upsertSeries(db, records);
      } finally {
        await db.$client.end().catch(() => undefined);
      }
    },
  };
}
