// Sending queued deliveries. Each attempt first claims its row (pending → delivering)
// with a conditional update, so two dispatchers never send the same delivery at once;
// a success is final, so an alert event reaches a channel successfully at most once
// (receivers still get a stable Idempotency-Key for the case where our record of a
// success is lost after they processed it). Failures follow backoff.ts, then dead-letter.
// Every attempt checks where the request would go against the deployment's URL policy
// first (channels/url-guard.ts): a channel saved under an older rule, or a deployment
// whose policy changed, is refused there and then, recorded as a failed attempt and
// dead-lettered (it fails the same way until someone fixes the URL and redelivers).
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { channelSecrets } from "../channels/redact-config.ts";
import type { ChannelTarget, Notification } from "../channels/notification.ts";
import { buildRequest, sendRequest, type AttemptResult, type FetchLike } from "../channels/request.ts";
import { checkChannelUrl, type UrlPolicy } from "../channels/url-guard.ts";
import type { Database } from "../db/client.ts";
import { channels, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import { nextAttemptAt } from "./backoff.ts";

export type DeliveryRow = typeof deliveries.$inferSelect;

/** A claim older than this is from a dispatcher that died mid-send; it may be retried. */
export const STALE_CLAIM_MS = 2 * 60_000;

export interface DeliverOptions {
  fetch: FetchLike;
  /** Where requests may go in this deployment; checked before every send. */
  policy: UrlPolicy;
  now?: () => number;
  random?: () => number;
  timeoutMs?: number;
}

export interface AttemptOutcome extends AttemptResult {
  deliveryId: string;
  attempt: number;
  status: "delivered" | "pending" | "dead";
  nextAttemptAt: Date | null;
}

async function claim(db: Database, id: string, now: Date, manual: boolean): Promise<DeliveryRow | undefined> {
  const stale = new Date(now.getTime() - STALE_CLAIM_MS);
  const claimable = manual
    ? inArray(deliveries.status, ["dead", "pending"])
    : or(and(eq(deliveries.status, "pending"), lte(deliveries.nextAttemptAt, now)), and(eq(deliveries.status, "delivering"), lte(deliveries.lastAttemptAt, stale)));
  const [row] = await db
    .update(deliveries)
    .set({ status: "delivering", attempts: sql`${deliveries.attempts} + 1`, lastAttemptAt: now })
    .where(and(eq(deliveries.id, id), claimable))
    .returning();
  return row;
}

function notSent(error: string): AttemptResult {
  return { ok: false, statusCode: null, latencyMs: 0, error, excerpt: null };
}

/**
 * One attempt at one delivery. `manual` is a person's redelivery of a dead letter (or
 * an immediate test send): one attempt now, and a dead letter that fails stays dead.
 * Returns undefined when the delivery is not claimable (delivered, or being sent).
 */
export async function attemptDelivery(db: Database, id: string, opts: DeliverOptions & { manual?: boolean }): Promise<AttemptOutcome | undefined> {
  const now = new Date((opts.now ?? Date.now)());
  const row = await claim(db, id, now, opts.manual ?? false);
  if (!row) return undefined;
  const [channel] = await db.select().from(channels).where(eq(channels.id, row.channelId)).limit(1);
  let result: AttemptResult;
  let refused = false;
  if (!channel || channel.deletedAt) {
    result = notSent("channel deleted");
  } else if (!channel.enabled) {
    // Paused, not gone: retried on the usual schedule, so re-enabling it within the day delivers.
    result = notSent("channel disabled");
  } else {
    const target: ChannelTarget = { id: channel.id, name: channel.name, kind: channel.kind as ChannelTarget["kind"], config: channel.config, secret: channel.secret };
    const req = await buildRequest(target, row.payload as unknown as Notification, row.id, Math.floor(now.getTime() / 1000));
    const problem = checkChannelUrl(req.url, opts.policy);
    refused = problem !== undefined;
    result = problem ? notSent(`not sent: the receiver URL ${problem}`) : await sendRequest(req, opts.fetch, { timeoutMs: opts.timeoutMs, known: channelSecrets(target) });
  }
  const wasDead = opts.manual && row.nextAttemptAt === null;
  const retryAt = result.ok || !channel || channel.deletedAt || wasDead || refused
    ? null
    : nextAttemptAt(row.attempts, row.createdAt.getTime(), now.getTime(), opts.random);
  const status = result.ok ? "delivered" : retryAt === null ? "dead" : "pending";
  const next = retryAt === null ? null : new Date(retryAt);
  await db.transaction(async (tx) => {
    await tx.insert(deliveryAttempts).values({ deliveryId: row.id, attempt: row.attempts, at: now, ok: result.ok, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error });
    await tx
      .update(deliveries)
      .set({ status, nextAttemptAt: next, lastStatusCode: result.statusCode, lastLatencyMs: result.latencyMs, lastError: result.error, deliveredAt: result.ok ? now : null })
      .where(eq(deliveries.id, row.id));
  });
  return { ...result, deliveryId: row.id, attempt: row.attempts, status, nextAttemptAt: next };
}

/** Sends what is due for an org (a bounded batch); returns when the next one falls due, if any. */
export async function deliverDue(db: Database, orgId: string, opts: DeliverOptions & { limit?: number }): Promise<{ outcomes: AttemptOutcome[]; nextDueAt: Date | null }> {
  const now = new Date((opts.now ?? Date.now)());
  const due = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.orgId, orgId), or(and(eq(deliveries.status, "pending"), lte(deliveries.nextAttemptAt, now)), and(eq(deliveries.status, "delivering"), lte(deliveries.lastAttemptAt, new Date(now.getTime() - STALE_CLAIM_MS))))))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(opts.limit ?? 50);
  const outcomes: AttemptOutcome[] = [];
  // Sequential on purpose: one Postgres connection at a time (PGlite is one session: docs/architecture.md, "The local stack"),
  // and a slow receiver only delays its own org.
  for (const d of due) {
    const o = await attemptDelivery(db, d.id, opts);
    if (o) outcomes.push(o);
  }
  // A claim left by a dispatcher that died mid-send falls due again once it is stale.
  const [next] = await db
    .select({
      pending: sql<Date | string | null>`min(${deliveries.nextAttemptAt}) filter (where ${deliveries.status} = 'pending')`,
      claimed: sql<Date | string | null>`min(${deliveries.lastAttemptAt}) filter (where ${deliveries.status} = 'delivering')`,
    })
    .from(deliveries)
    .where(and(eq(deliveries.orgId, orgId), inArray(deliveries.status, ["pending", "delivering"])));
  const times = [next?.pending ? new Date(next.pending).getTime() : null, next?.claimed ? new Date(next.claimed).getTime() + STALE_CLAIM_MS : null].filter((t): t is number => t !== null);
  return { outcomes, nextDueAt: times.length ? new Date(Math.min(...times)) : null };
}
