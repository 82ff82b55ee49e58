// Erasure requests in Postgres: create, read, list, and the claim/progress/finish steps
// the processor (process.ts) moves a request through. A claim is a lease: a worker that
// dies mid-way leaves the request `running` with a lease that expires, and the next
// trigger (a request to /v1/erasure, the cron) claims it again and resumes.
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import type { Queryable } from "../db/queryable.ts";
import { erasureRequests } from "../db/schema/index.ts";
import { afterCursor, msTime, page } from "../registry/pagination.ts";
import type { ErasureListQuery, ErasureView } from "./request-body.ts";

export type ErasureRow = typeof erasureRequests.$inferSelect;

/** What process.ts records as it goes; every count is cumulative, so a resumed step overwrites or adds exactly. */
export interface ErasureProgress {
  /** Per monitor name (`<model>:<version>`): the removal the object reports for this request. */
  monitors?: Record<string, Record<string, number>>;
  outcomes?: number;
  /** Monitors told the request is finished. */
  closed?: string[];
}

/** How long a claim holds before another worker may resume the request. */
export const LEASE_MS = 60_000;

export async function insertRequest(db: Queryable, values: typeof erasureRequests.$inferInsert): Promise<ErasureRow> {
  const [row] = await db.insert(erasureRequests).values(values).returning();
  return row!;
}

export async function getRequest(db: Queryable, orgId: string, id: string): Promise<ErasureRow | undefined> {
  const [row] = await db.select().from(erasureRequests).where(and(eq(erasureRequests.orgId, orgId), eq(erasureRequests.id, id)));
  return row;
}

export async function listRequests(db: Queryable, orgId: string, q: z.infer<typeof ErasureListQuery>) {
  const sort = msTime(erasureRequests.requestedAt);
  const rows = await db
    .select()
    .from(erasureRequests)
    .where(and(eq(erasureRequests.orgId, orgId), q.status ? eq(erasureRequests.status, q.status) : undefined, afterCursor(sort, erasureRequests.id, q.cursor, q.order, "timestamptz", "uuid")))
    .orderBy(q.order === "asc" ? asc(sort) : desc(sort), q.order === "asc" ? asc(erasureRequests.id) : desc(erasureRequests.id))
    .limit(q.limit + 1);
  const { items, next_cursor } = page(rows, q.limit, (r) => ({ v: r.requestedAt.toISOString(), id: r.id }));
  return { items: items.map(erasureView), next_cursor };
}

/** Unfinished requests nobody holds (of one org, or all), oldest first. */
export async function resumable(db: Queryable, orgId?: string, limit = 20): Promise<string[]> {
  const rows = await db
    .select({ id: erasureRequests.id })
    .from(erasureRequests)
    .where(
      and(
        inArray(erasureRequests.status, ["pending", "running"]),
        or(isNull(erasureRequests.leaseUntil), lt(erasureRequests.leaseUntil, sql`now()`)),
        orgId ? eq(erasureRequests.orgId, orgId) : undefined,
      ),
    )
    .orderBy(asc(erasureRequests.requestedAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Takes the request for LEASE_MS when it is unfinished and nobody holds it; undefined otherwise. */
export async function claim(db: Queryable, id: string): Promise<ErasureRow | undefined> {
  const [row] = await db
    .update(erasureRequests)
    .set({
      status: "running",
      startedAt: sql`coalesce(${erasureRequests.startedAt}, now())`,
      leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval`,
      attempts: sql`${erasureRequests.attempts} + 1`,
    })
    .where(and(eq(erasureRequests.id, id), inArray(erasureRequests.status, ["pending", "running"]), or(isNull(erasureRequests.leaseUntil), lt(erasureRequests.leaseUntil, sql`now()`))))
    .returning();
  return row;
}

/** Records progress and renews the lease. */
export async function saveProgress(db: Queryable, id: string, progress: ErasureProgress): Promise<void> {
  await db
    .update(erasureRequests)
    .set({ progress: progress as Record<string, unknown>, leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
    .where(eq(erasureRequests.id, id));
}

/** Leaves the request for the next trigger, with a reason that holds no personal data. */
export async function release(db: Queryable, id: string, reason: string): Promise<void> {
  await db.update(erasureRequests).set({ leaseUntil: null, error: reason }).where(eq(erasureRequests.id, id));
}

/** Rows removed so far, summed over the monitors and Postgres. */
export function removedOf(progress: ErasureProgress): Record<string, number> {
  const removed: Record<string, number> = { predictions: 0, actuals: 0, baseline_events: 0, outcomes: progress.outcomes ?? 0, redis: 0 };
  for (const counts of Object.values(progress.monitors ?? {})) {
    for (const [store, n] of Object.entries(counts)) removed[store] = (removed[store] ?? 0) + n;
  }
  return removed;
}

export function erasureView(row: ErasureRow): z.infer<typeof ErasureView> {
  return {
    id: row.id,
    status: row.status as z.infer<typeof ErasureView>["status"],
    model: row.model,
    target: row.target,
    requested_by: row.requestedBy,
    requested_at: row.requestedAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    completed_at: row.completedAt?.toISOString() ?? null,
    removed: row.removed ?? removedOf(row.progress as ErasureProgress),
    certificate: row.certificate && row.certificateSha256 ? { sha256: row.certificateSha256, audit_id: row.auditId, document: row.certificate } : null,
    error: row.error,
  };
}
