// The version's alert periods in a range (opened → resolved, or still open), for the
// impact events: what the KPI did while each alert was open.
import { and, desc, eq, gte, isNull, lt, or } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { alerts } from "../db/schema/index.ts";

export interface AlertPeriod {
  id: string;
  rule: string;
  kind: string;
  severity: string;
  summary: string;
  start: number;
  end: number;
}

/** Alerts of the version open at some point in [from, to), newest first, at most `limit`. */
export async function alertPeriods(db: Queryable, orgId: string, model: string, version: string, from: number, to: number, limit = 200): Promise<AlertPeriod[]> {
  const rows = await db
    .select({ id: alerts.id, rule: alerts.ruleName, kind: alerts.ruleKind, severity: alerts.severity, summary: alerts.summary, openedAt: alerts.openedAt, resolvedAt: alerts.resolvedAt })
    .from(alerts)
    .where(and(eq(alerts.orgId, orgId), eq(alerts.model, model), eq(alerts.version, version), lt(alerts.openedAt, new Date(to)), or(isNull(alerts.resolvedAt), gte(alerts.resolvedAt, new Date(from)))))
    .orderBy(desc(alerts.openedAt))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, rule: r.rule, kind: r.kind, severity: r.severity, summary: r.summary, start: r.openedAt.getTime(), end: Math.min(r.resolvedAt?.getTime() ?? to, to) }));
}
