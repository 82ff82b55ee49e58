// Which channels hear a notification, and queueing one delivery per channel. Runs in
// the transaction that changed the alert, so a change and its notifications commit
// together; the dedupe key makes queueing the same notification twice a no-op.
import { and, eq, isNull } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Notification } from "../channels/notification.ts";
import { channels, deliveries } from "../db/schema/index.ts";

type AnyPg = PgDatabase<PgQueryResultHKT, any, any>;
export type ChannelRow = typeof channels.$inferSelect;

/** Acknowledgements only interest machines (PagerDuty, webhooks); chat channels hear opens and resolves. */
const HEARS: Record<Notification["type"], readonly ChannelRow["kind"][]> = {
  "alert.opened": ["webhook", "slack", "pagerduty", "teams"],
  "alert.resolved": ["webhook", "slack", "pagerduty", "teams"],
  "alert.acknowledged": ["webhook", "pagerduty"],
  "retrain.requested": ["retrain"],
  // Sent only to the channels a report schedule names (reports/schedules/deliver.ts), never fanned out.
  "report.ready": ["webhook", "slack", "pagerduty", "teams"],
  test: ["webhook", "slack", "pagerduty", "teams", "retrain"],
};

export function channelHears(ch: Pick<ChannelRow, "kind" | "models" | "enabled" | "deletedAt">, type: Notification["type"], model: string | null): boolean {
  if (!ch.enabled || ch.deletedAt) return false;
  if (!HEARS[type].includes(ch.kind)) return false;
  return model === null || !ch.models || ch.models.length === 0 || ch.models.includes(model);
}

export function deliveryEvent(type: Notification["type"]): string {
  return type === "retrain.requested" ? "retrain" : type === "report.ready" ? "report" : type.replace(/^alert\./, "");
}

export async function queueDelivery(db: AnyPg, orgId: string, channelId: string, n: Notification, status: "pending" | "awaiting_approval" = "pending"): Promise<string | undefined> {
  const [row] = await db
    .insert(deliveries)
    .values({
      orgId,
      channelId,
      alertId: n.alert?.id ?? null,
      event: deliveryEvent(n.type),
      dedupeKey: `${n.id}:${channelId}`,
      payload: n as unknown as Record<string, unknown>,
      status,
      nextAttemptAt: status === "pending" ? new Date() : null,
    })
    .onConflictDoNothing({ target: deliveries.dedupeKey })
    .returning({ id: deliveries.id });
  return row?.id;
}

/** Queues `n` for every channel of the org that hears it; returns the new delivery ids. */
export async function fanOut(db: AnyPg, orgId: string, n: Notification): Promise<string[]> {
  const rows = await db.select().from(channels).where(and(eq(channels.orgId, orgId), isNull(channels.deletedAt)));
  const ids: string[] = [];
  for (const ch of rows) {
    if (!channelHears(ch, n.type, n.alert?.model ?? null)) continue;
    const id = await queueDelivery(db, orgId, ch.id, n);
    if (id) ids.push(id);
  }
  return ids;
}
