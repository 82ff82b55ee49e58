import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, asObject, bool, literal, nullable, object, str, unknownValue, withDefault, type Parser } from "./parse.ts";
import { REPORT_FORMATS, REPORT_KINDS, type ReportFormat, type ReportKind } from "./reports.ts";

// The report schedules contract (issue 16): POST /v1/report-schedules { kind, model?,
// version?, project?, cron, format, channels: [channel ids], range? }, GET lists them,
// GET/PATCH/DELETE /v1/report-schedules/{id}. A Worker cron trigger generates each due
// report and delivers it through the channels.

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
  /** How far back each run reaches, in hours. */
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

/** `range` as hours, or a duration like "24h" / "7d". */
function hoursOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  const m = typeof v === "string" ? /^(\d+)\s*([hd])$/.exec(v.trim()) : null;
  return m ? Number(m[1]) * (m[2] === "d" ? 24 : 1) : null;
}

export const parseSchedule: Parser<ReportSchedule> = (v, p = "") => {
  const raw = asObject(v, p);
  const o = object({
    id: str, name: optStr, kind: literal(...REPORT_KINDS), format: literal(...REPORT_FORMATS), model: optStr, version: optStr, cron: str,
    channels: withDefault(array(str), []), enabled: withDefault(bool, true), created_at: optStr, next_run_at: optStr, last_run_at: optStr, last_report_id: optStr, last_error: optStr,
  })(v, p);
  // The project may come as a slug or as { id, slug }.
  const project = typeof raw.project === "string" ? raw.project : typeof raw.project === "object" && raw.project !== null ? String((raw.project as Record<string, unknown>).slug ?? "") || null : null;
  return {
    id: o.id, name: o.name, kind: o.kind, format: o.format, project, model: o.model, version: o.version, cron: o.cron,
    rangeHours: hoursOf(raw.range_hours ?? raw.range), channels: o.channels, enabled: o.enabled, createdAt: o.created_at,
    nextRunAt: o.next_run_at, lastRunAt: o.last_run_at, lastReportId: o.last_report_id, lastError: o.last_error,
  };
};

export interface NewSchedule {
  kind: ReportKind;
  model?: string;
  version?: string;
  project?: string;
  cron: string;
  format: ReportFormat;
  channels: string[];
  range?: string;
}

const enc = encodeURIComponent;

export function listSchedules(api: ApiClient, signal?: AbortSignal): Promise<Page<ReportSchedule>> {
  return api.get("/v1/report-schedules?limit=200", page(parseSchedule, "items"), signal);
}

export function createSchedule(api: ApiClient, body: NewSchedule): Promise<ReportSchedule> {
  return api.send("POST", "/v1/report-schedules", body, parseSchedule);
}

export function updateSchedule(api: ApiClient, id: string, patch: Partial<NewSchedule> & { enabled?: boolean }): Promise<ReportSchedule> {
  return api.send("PATCH", `/v1/report-schedules/${enc(id)}`, patch, parseSchedule);
}

export function deleteSchedule(api: ApiClient, id: string): Promise<unknown> {
  return api.send("DELETE", `/v1/report-schedules/${enc(id)}`, undefined, unknownValue);
}
