// The retraining trigger: a "retrain" channel fires when an alert of a chosen rule has
// stayed unresolved for its hold time, at most once per alert and once per cooldown
// per model, optionally waiting for a person's approval (POST /v1/deliveries/:id/approve).
import { and, desc, eq, gte, isNull, lte, ne } from "drizzle-orm";
import type { RuleKind } from "../../durable/alerts/rules.ts";
import type { Queryable } from "../db/queryable.ts";
import { alerts, channels, deliveries } from "../db/schema/index.ts";
import { EVALUATOR } from "./actor.ts";
import { channelHears, queueDelivery } from "./fanout.ts";
import { notificationFor } from "./snapshot.ts";

export interface RetrainConfig {
  hold_minutes: number;
  cooldown_minutes: number;
  require_approval: boolean;
  /** Rule ids that may trigger; when absent, `rule_kinds` decide. */
  rules?: string[];
  rule_kinds: RuleKind[];
}

export const DEFAULT_RETRAIN_KINDS: RuleKind[] = ["feature_drift", "dataset_drift", "prediction_drift"];

export function retrainConfig(config: Record<string, unknown>): RetrainConfig {
  return {
    hold_minutes: typeof config.hold_minutes === "number" ? config.hold_minutes : 30,
    cooldown_minutes: typeof config.cooldown_minutes === "number" ? config.cooldown_minutes : 24 * 60,
    require_approval: config.require_approval === true,
    rules: Array.isArray(config.rules) ? (config.rules as string[]) : undefined,
    rule_kinds: Array.isArray(config.rule_kinds) ? (config.rule_kinds as RuleKind[]) : DEFAULT_RETRAIN_KINDS,
  };
}

/** Queues the retraining requests that fell due; returns when to look again (null: nothing open). */
export async function queueRetrainTriggers(db: Queryable, orgId: string, now: number, base: string): Promise<{ queued: string[]; checkAgainAt: number | null }> {
  const retrain = (await db.select().from(channels).where(and(eq(channels.orgId, orgId), eq(channels.kind, "retrain"), isNull(channels.deletedAt)))).filter((c) => c.enabled);
  if (retrain.length === 0) return { queued: [], checkAgainAt: null };
  const open = await db.select().from(alerts).where(and(eq(alerts.orgId, orgId), ne(alerts.status, "resolved")));
  const queued: string[] = [];
  let checkAgainAt: number | null = null;
  for (const ch of retrain) {
    const cfg = retrainConfig(ch.config);
    for (const a of open) {
      if (!channelHears(ch, "retrain.requested", a.model)) continue;
      const chosen = cfg.rules ? a.ruleId !== null && cfg.rules.includes(a.ruleId) : cfg.rule_kinds.includes(a.ruleKind as RuleKind);
      if (!chosen) continue;
      const dueAt = a.openedAt.getTime() + cfg.hold_minutes * 60_000;
      if (dueAt > now) {
        checkAgainAt = Math.min(checkAgainAt ?? dueAt, dueAt);
        continue;
      }
      // Cooldown: one retraining request per model and channel per cooldown period.
      const [recent] = await db
        .select({ id: deliveries.id })
        .from(deliveries)
        .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
        .where(and(eq(deliveries.channelId, ch.id), eq(deliveries.event, "retrain"), eq(alerts.model, a.model), gte(deliveries.createdAt, new Date(now - cfg.cooldown_minutes * 60_000)), lte(deliveries.createdAt, new Date(now))))
        .orderBy(desc(deliveries.createdAt))
        .limit(1);
      if (recent) continue;
      const n = notificationFor("retrain.requested", a, { id: `retrain:${a.id}`, actor: EVALUATOR, base, at: new Date(now) });
      const id = await queueDelivery(db, orgId, ch.id, n, cfg.require_approval ? "awaiting_approval" : "pending");
      if (id) queued.push(id);
    }
  }
  return { queued, checkAgainAt };
}
