// Running due report schedules (the Worker's per-minute cron, workers/scheduled/). Each
// due schedule is claimed by moving its next_run_at on with `UPDATE … WHERE next_run_at =
// <the time read>`: of two isolates that read the same due row, only the one whose update
// matched runs it. The run generates the report over the `range_hours` before the
// occurrence's time (so windows of consecutive runs meet exactly), as the schedule's
// system actor with admin reach in its org (the schedule was checked against its creator
// when made), records the outcome on the schedule, and queues one `report.ready`
// delivery per channel, sent and retried by the org's AlertDispatcher like alert deliveries.
// Missed occurrences (the Worker was down) are not caught up: the next run is the cron's
// next time after now.
import { and, asc, eq, lte } from "drizzle-orm";
import type { AuditActor } from "../../audit/record.ts";
import type { ApiKeyPrincipal } from "../../auth/principal.ts";
import type { Database } from "../../db/client.ts";
import { projects, reportSchedules } from "../../db/schema/index.ts";
import type { Bindings } from "../../env.ts";
import { ApiError } from "../../errors.ts";
import { logError } from "../../security/log-safe.ts";
import { nextRun, parseCron } from "../cron.ts";
import type { ReportFormat, ReportKind } from "../document.ts";
import { generateReport } from "../generate.ts";
import type { ReportRow } from "../store.ts";
import { deliverReport } from "./deliver.ts";
import type { ScheduleRow } from "./store.ts";

const HOUR = 3_600_000;
/** Schedules one invocation runs at most; the rest stay due for the next minute. */
export const RUNS_PER_INVOCATION = 20;

export interface RunOutcome {
  scheduleId: string;
  occurrence: Date;
  reportId: string | null;
  status: "succeeded" | "failed" | "refused";
  deliveries: string[];
  error: string | null;
}

/** Claims one occurrence: true for exactly one caller per (schedule, next_run_at read). */
export async function claim(db: Database, row: ScheduleRow, now: Date): Promise<boolean> {
  if (!row.nextRunAt) return false;
  const next = nextRun(parseCron(row.cron), now);
  const claimed = await db
    .update(reportSchedules)
    .set({ nextRunAt: next, lastRunAt: now })
    .where(and(eq(reportSchedules.id, row.id), eq(reportSchedules.enabled, true), eq(reportSchedules.nextRunAt, row.nextRunAt)))
    .returning({ id: reportSchedules.id });
  return claimed.length === 1;
}

function schedulePrincipal(row: ScheduleRow): ApiKeyPrincipal {
  return { kind: "api_key", orgId: row.orgId, keyId: `report-schedule:${row.id}`, prefix: `schedule ${row.id.slice(0, 8)}`, scopes: ["admin"], projectId: null, modelId: null };
}

export function scheduleActor(row: ScheduleRow): AuditActor {
  return { type: "system", id: `report-schedule:${row.id}` };
}

async function runOne(env: Bindings, db: Database, row: ScheduleRow, occurrence: Date): Promise<RunOutcome> {
  const project = row.model === null && row.projectId ? (await db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, row.projectId)))[0]?.slug : undefined;
  const body = {
    kind: row.kind as ReportKind, format: row.format as ReportFormat, model: row.model ?? undefined, version: row.version ?? undefined, project,
    from: new Date(occurrence.getTime() - row.rangeHours * HOUR).toISOString(), to: occurrence.toISOString(),
  };
  let report: ReportRow;
  try {
    report = await generateReport({ db, env, principal: schedulePrincipal(row), actor: scheduleActor(row), body, scheduleId: row.id });
  } catch (error) {
    // Refused (a model since deleted, a range past retention): no report, the reason kept on the schedule.
    const reason = error instanceof ApiError ? `${error.code}: ${error.message}` : `generation failed: ${error instanceof Error ? error.message : String(error)}`;
    if (!(error instanceof ApiError)) logError(`report schedule ${row.id} failed`, error);
    await db.update(reportSchedules).set({ lastError: reason.slice(0, 2_000) }).where(eq(reportSchedules.id, row.id));
    return { scheduleId: row.id, occurrence, reportId: null, status: "refused", deliveries: [], error: reason };
  }
  const failed = report.status !== "succeeded";
  await db.update(reportSchedules).set({ lastReportId: report.id, lastError: failed ? report.error : null }).where(eq(reportSchedules.id, row.id));
  const deliveries = failed ? [] : await deliverReport(env, db, row, report);
  return { scheduleId: row.id, occurrence, reportId: report.id, status: failed ? "failed" : "succeeded", deliveries, error: failed ? report.error : null };
}

/** Runs every schedule due at `now` that this caller manages to claim, one after another. */
export async function runDueSchedules(env: Bindings, db: Database, now: Date): Promise<RunOutcome[]> {
  const due = await db
    .select()
    .from(reportSchedules)
    .where(and(eq(reportSchedules.enabled, true), lte(reportSchedules.nextRunAt, now)))
    .orderBy(asc(reportSchedules.nextRunAt))
    .limit(RUNS_PER_INVOCATION);
  const outcomes: RunOutcome[] = [];
  for (const row of due) {
    if (!(await claim(db, row, now))) continue;
    try {
      outcomes.push(await runOne(env, db, row, row.nextRunAt!));
    } catch (error) {
      // One schedule's trouble (say, Postgres dropping mid-delivery) does not stop the others.
      logError(`report schedule ${row.id} run failed`, error);
      outcomes.push({ scheduleId: row.id, occurrence: row.nextRunAt!, reportId: null, status: "refused", deliveries: [], error: String(error) });
    }
  }
  return outcomes;
}
