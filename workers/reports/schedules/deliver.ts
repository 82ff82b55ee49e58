// Delivering a scheduled report: one `report.ready` notification (the report's id, title,
// scope, range, SHA-256 and download URL) queued for each of the schedule's channels
// through the alert delivery outbox (alerts/fanout.ts queueDelivery), then the org's
// AlertDispatcher woken to send it. From there it is an ordinary delivery: signed for
// webhooks, checked against the URL policy, retried with backoff, dead-lettered, listed
// in the delivery log. A channel deleted or disabled since the schedule was saved is skipped.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { queueDelivery } from "../../alerts/fanout.ts";
import { publicBase } from "../../alerts/snapshot.ts";
import type { Notification } from "../../channels/notification.ts";
import type { Database } from "../../db/client.ts";
import { channels } from "../../db/schema/index.ts";
import type { Bindings } from "../../env.ts";
import { logError } from "../../security/log-safe.ts";
import type { ReportRow } from "../store.ts";
import type { ScheduleRow } from "./store.ts";

const REPORT_CHANNEL_KINDS = ["webhook", "slack", "pagerduty", "teams"];

export function reportNotification(base: string, schedule: ScheduleRow, report: ReportRow, title: string): Notification {
  return {
    id: `report:${report.id}`,
    type: "report.ready",
    created_at: (report.completedAt ?? new Date()).toISOString(),
    alert: null,
    actor: `system:report-schedule:${schedule.id}`,
    note: null,
    links: { alert: null, dashboard: `${base}/#/reports` },
    report: {
      id: report.id,
      title,
      kind: report.kind,
      format: report.format,
      schedule: { id: schedule.id, name: schedule.name },
      model: report.model,
      version: report.version,
      project: (report.query.project as string | null | undefined) ?? null,
      from: report.rangeFrom.toISOString(),
      to: report.rangeTo.toISOString(),
      generated_at: (report.completedAt ?? report.createdAt).toISOString(),
      sha256: report.sha256!,
      content_sha256: report.contentSha256!,
      size_bytes: report.sizeBytes!,
      file_name: report.fileName!,
      download_url: `${base}/v1/reports/${report.id}/download`,
    },
  };
}

/** The report's title as a person reads it in a channel. */
function titleOf(report: ReportRow): string {
  const scope = report.model ? `${report.model}${report.version ? ` ${report.version}` : ""}` : ((report.query.project as string | null) ?? "org");
  return `${report.kind} ${scope}, ${report.rangeFrom.toISOString().slice(0, 16)}Z to ${report.rangeTo.toISOString().slice(0, 16)}Z`;
}

/** Queues the report for the schedule's channels and wakes the dispatcher; the new delivery ids. */
export async function deliverReport(env: Bindings, db: Database, schedule: ScheduleRow, report: ReportRow): Promise<string[]> {
  if (schedule.channels.length === 0) return [];
  const live = await db
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.orgId, schedule.orgId), inArray(channels.id, schedule.channels), isNull(channels.deletedAt), eq(channels.enabled, true), inArray(channels.kind, REPORT_CHANNEL_KINDS)));
  const n = reportNotification(publicBase(env.VIGIL_PUBLIC_URL), schedule, report, titleOf(report));
  const ids: string[] = [];
  for (const { id } of live) {
    const delivery = await queueDelivery(db, schedule.orgId, id, n);
    if (delivery) ids.push(delivery);
  }
  if (ids.length > 0) {
    try {
      await env.AlertDispatcher.get(env.AlertDispatcher.idFromName(schedule.orgId)).kick(schedule.orgId);
    } catch (error) {
      // Queued is durable: the dispatcher's next wake-up (any alert, any kick) sends them.
      logError(`report schedule ${schedule.id}: dispatcher kick failed`, error);
    }
  }
  return ids;
}
