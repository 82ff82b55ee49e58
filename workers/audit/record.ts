import type { Queryable } from "../db/queryable.ts";
import { appendAudit } from "./append.ts";

/** Who made a change, and from where; taken from the request by `actorOf(c)`. */
export interface AuditActor {
  type: "user" | "api_key" | "system" | "instance_admin";
  id: string;
  requestId?: string;
  ip?: string;
}

export interface AuditChange {
  orgId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  note?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends one audit record for a change. Call it with the transaction that made the
 * change, so both commit or neither does. Request id, IP, before/after and the note
 * live in `details`, which the hash chain covers.
 */
export function recordAudit(db: Queryable, actor: AuditActor, change: AuditChange) {
  const details: Record<string, unknown> = { ...change.details };
  if (change.before !== undefined) details.before = change.before;
  if (change.after !== undefined) details.after = change.after;
  if (change.note) details.note = change.note;
  if (actor.requestId) details.request_id = actor.requestId;
  if (actor.ip) details.ip = actor.ip;
  return appendAudit(db, {
    orgId: change.orgId,
    actorType: actor.type,
    actorId: actor.id,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
  });
}
