// The alert step of a ModelMonitor's alarm loop: the I/O around the pure evaluator.
// Rule states persist in the object's SQLite, so hysteresis and cooldown survive
// eviction. Events go to an outbox table in the same storage before anything is sent,
// and leave it only once the org's dispatcher has accepted them: an alert the
// evaluator raised is never lost to a crash or a dispatcher hiccup.
import { evaluateRules, INITIAL_STATE, resolvedElsewhere, type RuleState, type RuleStates } from "./evaluate.ts";
import type { AlertEnvelope, AlertScope, AlertSink, MonitorRules } from "./envelope.ts";
import type { MonitorMetrics } from "./metrics.ts";

export const RULES_TTL_MS = 30_000;
/** How long the first tick waits for the first rules load; later ticks never wait. */
export const FIRST_RULES_WAIT_MS = 2_000;
const MAX_FLUSH = 200;

export interface StepResult {
  evaluated: number;
  events: AlertEnvelope[];
  /** Envelopes still waiting in the outbox after this tick. */
  pending: number;
}

export class AlertStep {
  readonly #sql: SqlStorage;
  readonly #sink: AlertSink;
  #rules: MonitorRules | undefined;
  #rulesAt = 0;
  #refreshing: Promise<void> | undefined;
  #firstLoadHung = false;
  #states: RuleStates | undefined;

  constructor(sql: SqlStorage, sink: AlertSink) {
    this.#sql = sql;
    this.#sink = sink;
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_rule_state (rule_id TEXT PRIMARY KEY, state TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)`);
  }

  #loadStates(): RuleStates {
    if (this.#states) return this.#states;
    const states: RuleStates = {};
    for (const row of this.#sql.exec<{ rule_id: string; state: string }>(`SELECT rule_id, state FROM alert_rule_state`)) {
      states[row.rule_id] = { ...INITIAL_STATE, ...(JSON.parse(row.state) as Partial<RuleState>) };
    }
    this.#states = states;
    return states;
  }

  #saveStates(prev: RuleStates, next: RuleStates) {
    for (const [id, s] of Object.entries(next)) {
      if (prev[id] !== s) this.#sql.exec(`INSERT OR REPLACE INTO alert_rule_state (rule_id, state) VALUES (?, ?)`, id, JSON.stringify(s));
    }
    for (const id of Object.keys(prev)) if (!(id in next)) this.#sql.exec(`DELETE FROM alert_rule_state WHERE rule_id = ?`, id);
    this.#states = next;
  }

  /**
   * The rules to evaluate now. Only the very first load is awaited; later refreshes run
   * beside the ticks (a Postgres round trip must not stall the monitor's loop), and the
   * tick after one lands uses the new rules.
   */
  async #currentRules(scope: AlertScope, now: number): Promise<MonitorRules | undefined> {
    if (now - this.#rulesAt >= RULES_TTL_MS && !this.#refreshing) {
      this.#rulesAt = now;
      this.#refreshing = this.#refreshRules(scope, now).finally(() => (this.#refreshing = undefined));
    }
    if (!this.#rules && this.#refreshing && !this.#firstLoadHung) {
      // A first load that hangs (Postgres busy or unreachable) must not hold the alarm, or
      // scores stop reaching the sockets: wait briefly, and once it has hung, not again until
      // rules land. Without rules a tick evaluates nothing; a failed load is retried (and
      // awaited) every few seconds, as ever.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = await Promise.race([
        this.#refreshing.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), FIRST_RULES_WAIT_MS))),
      ]);
      if (timer !== undefined) clearTimeout(timer);
      this.#firstLoadHung = hung;
    }
    return this.#rules;
  }

  async #refreshRules(scope: AlertScope, now: number): Promise<void> {
    try {
      const fresh = await this.#sink.rulesFor(scope.orgId, scope.model, scope.version);
      this.#rules = fresh;
      this.#rulesAt = now;
      // An alert a person resolved: the evaluator stops treating it as open and cools down.
      const states = this.#loadStates();
      const next = { ...states };
      for (const r of fresh.resolved) {
        const s = states[r.ruleId];
        if (s?.openedAt !== null && s !== undefined && `${r.ruleId}@${s.openedAt}` === r.firingId) next[r.ruleId] = resolvedElsewhere(s, r.resolvedAt);
      }
      this.#saveStates(states, next);
    } catch (err) {
      // Keep evaluating with the rules we have; try again in a few seconds.
      console.error("alert rules refresh failed:", (err as Error).message);
      this.#rulesAt = now - RULES_TTL_MS + 5_000;
      this.#firstLoadHung = false;
    }
  }

  /** Evaluates once and forwards what is pending. Call it from the alarm, after scoring. */
  async tick(scope: AlertScope, metrics: MonitorMetrics, now: number): Promise<StepResult> {
    const rules = await this.#currentRules(scope, now);
    const envelopes: AlertEnvelope[] = [];
    if (rules) {
      const prev = this.#loadStates();
      const { states, events } = evaluateRules(rules.rules, prev, metrics, now);
      const s: AlertScope = { ...scope, modelId: scope.modelId ?? rules.modelId };
      for (const event of events) {
        const env: AlertEnvelope = { scope: s, event };
        envelopes.push(env);
        this.#sql.exec(`INSERT OR IGNORE INTO alert_outbox (event_id, body) VALUES (?, ?)`, event.id, JSON.stringify(env));
      }
      this.#saveStates(prev, states);
    }
    const pending = await this.flush(scope.orgId);
    return { evaluated: rules?.rules.length ?? 0, events: envelopes, pending };
  }

  /** Hands queued envelopes to the dispatcher; returns how many remain. */
  async flush(orgId: string): Promise<number> {
    const rows = this.#sql.exec<{ seq: number; body: string }>(`SELECT seq, body FROM alert_outbox ORDER BY seq LIMIT ?`, MAX_FLUSH).toArray();
    if (rows.length > 0) {
      try {
        await this.#sink.enqueue(orgId, rows.map((r) => JSON.parse(r.body) as AlertEnvelope));
        this.#sql.exec(`DELETE FROM alert_outbox WHERE seq <= ?`, rows[rows.length - 1]!.seq);
      } catch (err) {
        console.error("alert outbox flush failed, will retry:", (err as Error).message);
      }
    }
    return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM alert_outbox`).one().n;
  }
}
