import { DurableObject } from "cloudflare:workers";
import type { AlertEnvelope, MonitorRules } from "../../durable/alerts/envelope.ts";
import { urlPolicyFromFlag } from "../channels/url-guard.ts";
import { openDatabase, type Database } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { deliverDue } from "./deliver.ts";
import { alertRecord, kafkaConfig, publishAlertRecords } from "./kafka.ts";
import { outboundFetch } from "./outbound.ts";
import { applyEvaluatorEvent } from "./lifecycle.ts";
import { queueRetrainTriggers } from "./retrain-trigger.ts";
import { rulesForMonitor } from "./rules-store.ts";
import { publicBase } from "./snapshot.ts";
import { logError } from "../security/log-safe.ts";
import { recordSinkFailure } from "../health/sink-failures.ts";

const RETRY_MS = 5_000;
const BATCH = 100;
// Alert events per Kafka publish (one request: the producer batches up to 2,000 records).
const KAFKA_BATCH = 1_000;
export const KAFKA_ALERTS_SINK = "kafka-alerts";

/**
 * One per org (name = org id). Takes evaluator events from the org's ModelMonitors into
 * an inbox in its SQLite storage (accepted = durable), applies them to Postgres, and
 * drives the delivery outbox with alarms: now when something arrives, else when the
 * next retry or retraining hold falls due. Postgres down: events wait in the inbox.
 */
export class AlertDispatcher extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)`);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS kafka_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL)`);
  }

  #remember(orgId: string) {
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('org', ?)`, orgId);
  }

  #org(): string | undefined {
    return this.ctx.storage.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'org'`).toArray()[0]?.value;
  }

  async #wakeAt(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #db(): Database {
    if (!this.env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
    return openDatabase(this.env.DATABASE_URL, this.env.NEON_WS_PROXY);
  }

  /** Accepts evaluator events; once this returns they are stored and will be applied. */
  async enqueue(orgId: string, envelopes: AlertEnvelope[]): Promise<number> {
    this.#remember(orgId);
    for (const e of envelopes) {
      this.ctx.storage.sql.exec(`INSERT OR IGNORE INTO inbox (event_id, body) VALUES (?, ?)`, e.event.id, JSON.stringify(e));
    }
    await this.#wakeAt(Date.now());
    return envelopes.length;
  }

  /** Something was queued in Postgres (an ack, a resolve, an approval): send it now. */
  async kick(orgId: string): Promise<void> {
    this.#remember(orgId);
    await this.#wakeAt(Date.now());
  }

  async rulesFor(orgId: string, model: string, version: string): Promise<MonitorRules> {
    this.#remember(orgId);
    const db = this.#db();
    try {
      return await rulesForMonitor(db, orgId, model, version);
    } finally {
      await db.$client.end();
    }
  }

  /** Sends the Kafka outbox in order; false when the proxy refused (records stay for the next pass). */
  async #publish(config: NonNullable<ReturnType<typeof kafkaConfig>>): Promise<boolean> {
    const rows = this.ctx.storage.sql.exec<{ seq: number; record: string }>(`SELECT seq, record FROM kafka_outbox ORDER BY seq LIMIT ?`, KAFKA_BATCH).toArray();
    if (rows.length === 0) return true;
    try {
      await publishAlertRecords(config, rows.map((r) => JSON.parse(r.record) as ReturnType<typeof alertRecord>));
      this.ctx.storage.sql.exec(`DELETE FROM kafka_outbox WHERE seq <= ?`, rows[rows.length - 1]!.seq);
      return true;
    } catch (err) {
      logError("alert events to Kafka failed, will retry", err);
      await this.#countKafkaFailure(err as Error);
      return false;
    }
  }

  /** Counted with the monitors' sink failures (GET /v1/health, /metrics) as sink "kafka-alerts". */
  async #countKafkaFailure(error: Error): Promise<void> {
    const db = this.#db();
    try {
      await recordSinkFailure(db, KAFKA_ALERTS_SINK, error.message, new Date());
    } catch (recordError) {
      logError("alert events to Kafka: could not count the failure", recordError);
    } finally {
      await db.$client.end().catch(() => undefined);
    }
  }

  kafkaBacklog(): number {
    return this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM kafka_outbox`).one().n;
  }

  inboxSize(): number {
    return this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM inbox`).one().n;
  }

  /** Runs are serialized: an alarm and an explicit drain never interleave their I/O. */
  #running: Promise<void> = Promise.resolve();

  override alarm(): Promise<void> {
    return this.drain();
  }

  /** One processing pass now (after any pass in flight). The alarm's work; tests call it to settle. */
  drain(): Promise<void> {
    const run = this.#running.then(() => this.#process());
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #process(): Promise<void> {
    const orgId = this.#org();
    if (!orgId) return;
    const db = this.#db();
    const base = publicBase(this.env.VIGIL_PUBLIC_URL);
    let next: number | null = null;
    try {
      const rows = this.ctx.storage.sql.exec<{ seq: number; body: string }>(`SELECT seq, body FROM inbox ORDER BY seq LIMIT ?`, BATCH).toArray();
      const kafka = kafkaConfig(this.env);
      for (const row of rows) {
        const env = JSON.parse(row.body) as AlertEnvelope;
        await db.transaction((tx) => applyEvaluatorEvent(tx, env, { base }));
        // No await between these two: the event moves from the inbox to the Kafka outbox atomically.
        if (kafka) this.ctx.storage.sql.exec(`INSERT INTO kafka_outbox (record) VALUES (?)`, JSON.stringify(alertRecord(env)));
        this.ctx.storage.sql.exec(`DELETE FROM inbox WHERE seq = ?`, row.seq);
      }
      if (this.inboxSize() > 0) next = Date.now();
      if (kafka && !(await this.#publish(kafka))) next = Date.now() + RETRY_MS;
      const retrain = await queueRetrainTriggers(db, orgId, Date.now(), base);
      const { nextDueAt } = await deliverDue(db, orgId, { fetch: outboundFetch, policy: urlPolicyFromFlag(this.env.VIGIL_ALLOW_HTTP_WEBHOOKS) });
      for (const t of [nextDueAt?.getTime() ?? null, retrain.checkAgainAt]) if (t !== null) next = Math.min(next ?? t, t);
    } catch (err) {
      logError(`alert dispatcher for org ${orgId} failed, retrying`, err);
      next = Date.now() + RETRY_MS;
    } finally {
      await db.$client.end().catch(() => undefined);
    }
    if (next !== null) await this.#wakeAt(Math.max(next, Date.now()));
  }
}
