import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, bool, literal, nullable, num, object, str, unknownValue, withDefault, type Parser } from "./parse.ts";
import { REPORT_FORMATS, REPORT_KINDS, type ReportFormat, type ReportKind } from "./reports.ts";

// The report schedules contract of workers/routes/report-schedules.ts and
// workers/reports/schedules/request.ts: POST /v1/report-schedules { name?, kind, model?,
// version?, project?, cron, format, channels: [channel ids], range?, enabled? } (range an
// ISO 8601 duration such as P7D, by default the cron's period), GET lists them newest
// first, GET/PATCH/DELETE /v1/report-schedules/{id}. The Worker's per-minute trigger
// generates each due report and delivers it through the channels.

export interface ReportSchedule {
  id: string;
  name: string | null;
  kind: ReportKind;
  format: ReportFormat;
  /** Project slug, for the compliance kinds. */
  project: string | null;
  model: string | null;
  version: string | null;
  cron: string;
  /** The window each run covers, ending at its scheduled time: an ISO 8601 duration ("P7D"). */
  range: string | null;
  rangeHours: number | null;
  channels: string[];
  enabled: boolean;
  createdAt: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastReportId: string | null;
  lastError: string | null;
}

const optStr = withDefault(nullable(str), null);

export const parseSchedule: Parser<ReportSchedule> = (v, p = "") => {
  const o = object({
    id: str, name: optStr, kind: literal(...REPORT_KINDS), format: literal(...REPORT_FORMATS), project: optStr, model: optStr, version: optStr, cron: str,
    range: optStr, range_hours: withDefault(nullable(num), null), channels: withDefault(array(str), []), enabled: withDefault(bool, true), created_at: optStr,
    next_run_at: optStr, last_run_at: optStr, last_report_id: optStr, last_error: optStr,
  })(v, p);
  return {
    id: o.id, name: o.name, kind: o.kind, format: o.format, project: o.project, model: o.model, version: o.version, cron: o.cron, range: o.range,
    rangeHours: o.range_hours, channels: o.channels, enabled: o.enabled, createdAt: o.created_at,
    nextRunAt: o.next_run_at, lastRunAt: o.last_run_at, lastReportId: o.last_report_id, lastError: o.last_error,
  };
};

export interface NewSchedule {
  name?: string;
  kind: ReportKind;
  model?: string;
  version?: string;
  project?: string;
  cron: string;
  format: ReportFormat;
  channels: string[];
  /** ISO 8601 duration in weeks, days or hours; left out, the cron's period. */
  range?: string;
  enabled?: boolean;
}

const enc = encodeURIComponent;

export function listSchedules(api: ApiClient, signal?: AbortSignal): Promise<Page<ReportSchedule>> {
  return api.get("/v1/report-schedules?limit=200", page(parseSchedule, "items"), signal);
}

export function createSchedule(api: ApiClient, body: NewSchedule): Promise<ReportSchedule> {
  return api.send("POST", "/v1/report-schedules", body, parseSchedule);
}

export function updateSchedule(api: ApiClient, id: string, patch: Partial<NewSchedule>): Promise<ReportSchedule> {
  return api.send("PATCH", `/v1/report-schedules/${enc(id)}`, patch, parseSchedule);
}

export function deleteSchedule(api: ApiClient, id: string): Promise<unknown> {
  return api.send("DELETE", `/v1/report-schedules/${enc(id)}`, undefined, unknownValue);
}
