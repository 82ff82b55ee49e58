// Export failures counted across the deployment, for GET /v1/health: every failed send
// of an outbox sink other than Postgres itself adds one to its row in `sink_failures`
// (one upsert, only on failure). The count is best effort: with Postgres down too the
// failure is still retried and counted in its monitor (GET /metrics,
// vigil_sink_failures_total), just not here.
import { sql } from "drizzle-orm";
import type { Sink } from "../../durable/monitor/outbox.ts";
import { openDatabase } from "../db/client.ts";
import type { Queryable } from "../db/queryable.ts";
import { sinkFailures } from "../db/schema/index.ts";
import { redactSecrets } from "../security/redact.ts";
import { logError } from "../security/log-safe.ts";

export interface SinkFailureCount {
  failures: number;
  lastError: string | null;
  lastFailedAt: string | null;
}

export async function recordSinkFailure(db: Queryable, sink: string, message: string, at: Date): Promise<void> {
  const lastError = redactSecrets(message).slice(0, 500);
  await db
    .insert(sinkFailures)
    .values({ sink, failures: 1, lastError, lastFailedAt: at })
    .onConflictDoUpdate({ target: sinkFailures.sink, set: { failures: sql`${sinkFailures.failures} + 1`, lastError, lastFailedAt: at } });
}

export async function readSinkFailures(db: Queryable): Promise<Record<string, SinkFailureCount>> {
  const rows = await db.select().from(sinkFailures);
  const out: Record<string, SinkFailureCount> = {};
  for (const r of rows) out[r.sink] = { failures: r.failures, lastError: r.lastError, lastFailedAt: r.lastFailedAt?.toISOString() ?? null };
  return out;
}

/** The sink, counting each failed send in Postgres before the outbox backs off and retries. */
export function countingFailures(sink: Sink, databaseUrl: string, relay: string | undefined): Sink {
  return {
    name: sink.name,
    ...(sink.batchSize === undefined ? {} : { batchSize: sink.batchSize }),
    async send(records) {
      try {
        await sink.send(records);
      } catch (error) {
        const db = openDatabase(databaseUrl, relay);
        try {
          await recordSinkFailure(db, sink.name, (error as Error).message, new Date());
        } catch (recordError) {
          logError(`sink ${sink.name}: could not count the failure`, recordError);
        } finally {
          await db.$client.end().catch(() => undefined);
        }
        throw error;
      }
    },
  };
}
