// Report schedules as the API manages them: create, list, read, change, delete. A
// schedule is checked as POST /v1/reports checks a request (the kind's scope fields, the
// caller's reach: write on the model or project, admin for the compliance kinds), plus
// its cron expression, its range and its channels (of the org, not deleted, able to take
// a report). `next_run_at` is the cron's next time from now, recomputed whenever the cron
// changes or the schedule is re-enabled. Every change is audited in its transaction.
import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record.ts";
import type { Principal } from "../../auth/principal.ts";
import { requireOrgWide } from "../../authz/access.ts";
import type { Queryable } from "../../db/queryable.ts";
import { channels, projects, reportSchedules } from "../../db/schema/index.ts";
import { ApiError } from "../../errors.ts";
import { afterCursor, msTime, page } from "../../registry/pagination.ts";
import { CronError, longestGap, nextRun, parseCron } from "../cron.ts";
import type { ReportKind } from "../document.ts";
import { MAX_RANGE_DAYS } from "../request.ts";
import { resolveScope, type ReportScope } from "../scope.ts";
import { visibleSchedules } from "../visibility.ts";
import { formatRange, parseRange } from "./duration.ts";
import type { ScheduleListFilter, SchedulePatchBody, ScheduleRequestBody, ScheduleViewBody } from "./request.ts";

export type ScheduleRow = typeof reportSchedules.$inferSelect;

const HOUR = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Channel kinds that can carry a report (a retraining trigger cannot). */
const REPORT_CHANNEL_KINDS = ["webhook", "slack", "pagerduty", "teams"];

function invalid(field: string, error: string): ApiError {
  return new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
}

/** The schedule's settings once checked: everything a row needs but its identity. */
interface Checked {
  name: string;
  kind: ReportKind;
  format: string;
  scope: ReportScope;
  cron: string;
  rangeHours: number;
  channels: string[];
  enabled: boolean;
}

type Settings = Omit<ScheduleRequestBody, "enabled"> & { enabled: boolean };

function checkCron(text: string) {
  try {
    return parseCron(text);
  } catch (e) {
    if (e instanceof CronError) throw invalid("cron", e.message);
    throw e;
  }
}

function rangeHoursOf(s: Settings, cron: ReturnType<typeof parseCron>, now: number): number {
  const maxHours = MAX_RANGE_DAYS[s.kind] * 24;
  if (s.range === undefined) {
    // The cron's period: each run covers the time since the run before it.
    const period = Math.ceil(longestGap(cron, new Date(now)) / HOUR);
    return Math.min(Math.max(period, 1), maxHours);
  }
  const parsed = parseRange(s.range);
  if ("error" in parsed) throw invalid("range", parsed.error);
  if (parsed.hours > maxHours) throw invalid("range", `a ${s.kind} report covers at most ${MAX_RANGE_DAYS[s.kind]} days (${formatRange(maxHours)})`);
  return parsed.hours;
}

async function checkChannels(db: Queryable, orgId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await db.select({ id: channels.id, kind: channels.kind }).from(channels).where(and(eq(channels.orgId, orgId), inArray(channels.id, unique), isNull(channels.deletedAt))) : [];
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  ids.forEach((id, i) => {
    const kind = kinds.get(id);
    if (!kind) throw invalid(`channels.${i}`, `no channel ${id} in this org`);
    if (!REPORT_CHANNEL_KINDS.includes(kind)) throw invalid(`channels.${i}`, `a ${kind} channel cannot receive reports (use a webhook, slack, pagerduty or teams channel)`);
  });
  return unique;
}

async function check(db: Queryable, p: Principal, s: Settings, now: number): Promise<Checked> {
  const cron = checkCron(s.cron);
  const rangeHours = rangeHoursOf(s, cron, now);
  const scope = await resolveScope(db, p, { kind: s.kind, project: s.project, model: s.model, version: s.version }, "write");
  const ids = await checkChannels(db, p.orgId, s.channels);
  const what = scope.model ? `${scope.model.name}${scope.version ? ` ${scope.version.version}` : ""}` : scope.project ? `project ${scope.project.slug}` : "org";
  return { name: s.name ?? `${s.kind} ${what} (${cron.source})`, kind: s.kind, format: s.format, scope, cron: cron.source, rangeHours, channels: ids, enabled: s.enabled };
}

function columns(c: Checked, now: number) {
  return {
    name: c.name, kind: c.kind, format: c.format, projectId: c.scope.project?.id ?? null, model: c.scope.model?.name ?? null, version: c.scope.version?.version ?? null,
    cron: c.cron, rangeHours: c.rangeHours, channels: c.channels, enabled: c.enabled, nextRunAt: c.enabled ? nextRun(parseCron(c.cron), new Date(now)) : null,
  };
}

/** What the audit log keeps of a schedule. */
function auditJson(row: ScheduleRow) {
  return { name: row.name, kind: row.kind, format: row.format, project_id: row.projectId, model: row.model, version: row.version, cron: row.cron, range_hours: row.rangeHours, channels: row.channels, enabled: row.enabled };
}

export async function createSchedule(db: Queryable, p: Principal, actor: AuditActor, body: ScheduleRequestBody, now = Date.now()): Promise<ScheduleViewBody> {
  const checked = await check(db, p, body, now);
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.insert(reportSchedules).values({ orgId: p.orgId, createdBy: { type: actor.type, id: actor.id }, ...columns(checked, now) }).returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "report_schedule.create", targetType: "report_schedule", targetId: row!.id, after: auditJson(row!), details: { model: row!.model } });
    return row!;
  });
  return (await viewsOf(db, [row]))[0]!;
}

async function loadVisible(db: Queryable, p: Principal, id: string): Promise<ScheduleRow> {
  if (!UUID.test(id)) throw new ApiError(404, "not_found", "report schedule not found");
  const [row] = await db.select().from(reportSchedules).where(and(eq(reportSchedules.orgId, p.orgId), eq(reportSchedules.id, id), await visibleSchedules(db, p)));
  if (!row) throw new ApiError(404, "not_found", "report schedule not found");
  return row;
}

export async function getSchedule(db: Queryable, p: Principal, id: string): Promise<ScheduleViewBody> {
  return (await viewsOf(db, [await loadVisible(db, p, id)]))[0]!;
}

export async function listSchedules(db: Queryable, p: Principal, q: ScheduleListFilter) {
  const conds: Array<SQL | undefined> = [eq(reportSchedules.orgId, p.orgId), await visibleSchedules(db, p), afterCursor(msTime(reportSchedules.createdAt), reportSchedules.id, q.cursor, "desc", "timestamptz", "uuid")];
  if (q.kind) conds.push(eq(reportSchedules.kind, q.kind));
  if (q.model) conds.push(eq(reportSchedules.model, q.model));
  const rows = await db.select().from(reportSchedules).where(and(...conds)).orderBy(desc(msTime(reportSchedules.createdAt)), desc(reportSchedules.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  return { items: await viewsOf(db, result.items), next_cursor: result.next_cursor };
}

/** The row's settings in request form, for merging a patch into. */
async function settingsOf(db: Queryable, row: ScheduleRow): Promise<Settings> {
  // A project is the schedule's own scope only when it names no model (a model's schedule keeps its project for visibility).
  const project = row.model === null && row.projectId ? (await db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, row.projectId)))[0]?.slug : undefined;
  return {
    name: row.name, kind: row.kind as ReportKind, format: row.format as Settings["format"], project, model: row.model ?? undefined, version: row.version ?? undefined,
    cron: row.cron, range: formatRange(row.rangeHours), channels: row.channels, enabled: row.enabled,
  };
}

export async function updateSchedule(db: Queryable, p: Principal, actor: AuditActor, id: string, patch: SchedulePatchBody, now = Date.now()): Promise<ScheduleViewBody> {
  const row = await loadVisible(db, p, id);
  const current = await settingsOf(db, row);
  const orUndefined = <T>(v: T | null | undefined, old: T | undefined) => (v === null ? undefined : v === undefined ? old : v);
  const merged: Settings = {
    name: patch.name ?? current.name,
    kind: patch.kind ?? current.kind,
    format: patch.format ?? current.format,
    project: orUndefined(patch.project, current.project),
    model: orUndefined(patch.model, current.model),
    version: orUndefined(patch.version, current.version),
    cron: patch.cron ?? current.cron,
    // Back to the cron's default when asked (null), or when the cron changes and no range is given with it.
    range: patch.range === null || (patch.cron !== undefined && patch.range === undefined) ? undefined : (patch.range ?? current.range),
    channels: patch.channels ?? current.channels,
    enabled: patch.enabled ?? current.enabled,
  };
  const checked = await check(db, p, merged, now);
  const set = columns(checked, now);
  // The next run moves only when the timing changed or the schedule comes back on; otherwise it keeps its place.
  const retime = checked.cron !== row.cron || (checked.enabled && !row.enabled);
  const updated = await db.transaction(async (tx) => {
    const [next] = await tx
      .update(reportSchedules)
      .set({ ...set, nextRunAt: checked.enabled ? (retime ? set.nextRunAt : row.nextRunAt ?? set.nextRunAt) : null, updatedAt: new Date(now) })
      .where(eq(reportSchedules.id, row.id))
      .returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "report_schedule.update", targetType: "report_schedule", targetId: row.id, before: auditJson(row), after: auditJson(next!), details: { model: next!.model ?? row.model } });
    return next!;
  });
  return (await viewsOf(db, [updated]))[0]!;
}

/** Deleting needs the reach creating needed, on the scope the schedule has (its model since deleted: org-wide). */
async function requireWriteOn(db: Queryable, p: Principal, row: ScheduleRow): Promise<void> {
  const { project } = await settingsOf(db, row);
  try {
    await resolveScope(db, p, { kind: row.kind as ReportKind, model: row.model ?? undefined, version: row.version ?? undefined, project }, "write");
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404 && (row.model || project))) throw e;
    const compliance = row.kind === "audit-trail" || row.kind === "gdpr-processing";
    requireOrgWide(p, compliance ? "admin" : "write", "a schedule whose model or project is gone");
  }
}

export async function deleteSchedule(db: Queryable, p: Principal, actor: AuditActor, id: string): Promise<void> {
  const row = await loadVisible(db, p, id);
  await requireWriteOn(db, p, row);
  await db.transaction(async (tx) => {
    await tx.delete(reportSchedules).where(eq(reportSchedules.id, row.id));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "report_schedule.delete", targetType: "report_schedule", targetId: row.id, before: auditJson(row), details: { model: row.model } });
  });
}

export async function viewsOf(db: Queryable, rows: ScheduleRow[]): Promise<ScheduleViewBody[]> {
  const projectIds = [...new Set(rows.filter((r) => r.model === null && r.projectId).map((r) => r.projectId!))];
  const slugs = new Map(projectIds.length ? (await db.select({ id: projects.id, slug: projects.slug }).from(projects).where(inArray(projects.id, projectIds))).map((r) => [r.id, r.slug]) : []);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as ScheduleViewBody["kind"],
    format: r.format as ScheduleViewBody["format"],
    project: r.model === null && r.projectId ? slugs.get(r.projectId) ?? null : null,
    model: r.model,
    version: r.version,
    cron: r.cron,
    range: formatRange(r.rangeHours),
    range_hours: r.rangeHours,
    channels: r.channels,
    enabled: r.enabled,
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    next_run_at: r.nextRunAt?.toISOString() ?? null,
    last_run_at: r.lastRunAt?.toISOString() ?? null,
    last_report_id: r.lastReportId,
    last_error: r.lastError,
  }));
}
