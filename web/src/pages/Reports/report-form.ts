// The report form's rules, apart from its markup: which scope fields a kind shows and
// needs, the range presets, the request the form sends, and the API's refusals sorted by
// the field they name so each appears under its input.
import { ApiRequestError, describeError } from "../../api/errors.ts";
import { KIND_SCOPE, MAX_RANGE_DAYS, type ReportFormat, type ReportKind, type ReportRequest } from "../../api/reports.ts";

export type RangePreset = "24h" | "7d" | "30d" | "custom";
export const RANGE_PRESETS: { value: RangePreset; label: string; ms: number }[] = [
  { value: "24h", label: "Last 24 hours", ms: 24 * 3_600_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "custom", label: "Custom…", ms: 0 },
];

/** Audit-trail and GDPR reports cover the org, one project or one model. */
export type ComplianceScope = "org" | "project" | "model";

export interface ReportForm {
  kind: ReportKind;
  scope: ComplianceScope;
  model: string;
  /** "" for model-risk means every version. */
  version: string;
  project: string;
  range: RangePreset;
  /** `datetime-local` values (the browser's local time), for the custom range. */
  from: string;
  to: string;
  format: ReportFormat;
}

export const EMPTY_FORM: ReportForm = { kind: "drift", scope: "org", model: "", version: "", project: "", range: "24h", from: "", to: "", format: "html" };

/** Fields the form can point at; anything else the API names goes in the form's banner. */
export type FormField = "kind" | "model" | "version" | "project" | "from" | "to" | "format";
export type FieldErrors = Partial<Record<FormField, string>>;
const FORM_FIELDS: readonly string[] = ["kind", "model", "version", "project", "from", "to", "format"];

/** Which pickers the form shows for a kind and scope. */
export function visibleFields(f: Pick<ReportForm, "kind" | "scope">): { model: boolean; version: boolean; project: boolean; scope: boolean; versionOptional: boolean } {
  const rule = KIND_SCOPE[f.kind];
  if (rule === "version") return { model: true, version: true, project: false, scope: false, versionOptional: false };
  if (rule === "model") return { model: true, version: true, project: false, scope: false, versionOptional: true };
  return { model: f.scope === "model", version: false, project: f.scope === "project", scope: true, versionOptional: false };
}

const DAY_MS = 86_400_000;

/**
 * The request for a filled form at `now`, or the fields to fix first. The server checks
 * all of this again; the form only saves a round trip for what it can see.
 */
export function buildRequest(f: ReportForm, now: number): { request: ReportRequest } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const show = visibleFields(f);
  if (show.model && !f.model) errors.model = `choose a model for a ${f.kind} report`;
  if (show.version && !show.versionOptional && !f.version) errors.version = `choose a version for a ${f.kind} report`;
  if (show.project && !f.project) errors.project = "choose a project, or cover the whole org";
  let from: number;
  let to: number;
  if (f.range === "custom") {
    from = f.from ? new Date(f.from).getTime() : NaN;
    to = f.to ? new Date(f.to).getTime() : NaN;
    if (Number.isNaN(from)) errors.from = "enter when the report starts";
    if (Number.isNaN(to)) errors.to = "enter when the report ends";
    else if (!Number.isNaN(from) && to <= from) errors.to = "must be after from";
    else if (!Number.isNaN(from) && to - from > MAX_RANGE_DAYS[f.kind] * DAY_MS) errors.from = `a ${f.kind} report covers at most ${MAX_RANGE_DAYS[f.kind]} days`;
  } else {
    to = now;
    from = now - RANGE_PRESETS.find((p) => p.value === f.range)!.ms;
  }
  if (Object.keys(errors).length > 0) return { errors };
  const request: ReportRequest = { kind: f.kind, from: new Date(from).toISOString(), to: new Date(to).toISOString(), format: f.format };
  if (show.model) request.model = f.model;
  if (show.version && f.version) request.version = f.version;
  if (show.project) request.project = f.project;
  return { request };
}

/**
 * The API's refusal, split: messages for the fields it names (400 `validation_failed`,
 * 422 `range_too_large` / `range_out_of_retention` carry `details: [{ field, error }]`),
 * and one line for the rest (403 for a compliance kind without admin, 404, network).
 */
export function explainFailure<F extends string = FormField>(err: unknown, kind: ReportKind, extraFields: readonly F[] = []): { fields: Partial<Record<FormField | F, string>>; banner: string | null } {
  const fields: Partial<Record<string, string>> = {};
  const known: readonly string[] = [...FORM_FIELDS, ...extraFields];
  const rest: string[] = [];
  if (err instanceof ApiRequestError && Array.isArray(err.details)) {
    for (const d of err.details as unknown[]) {
      const issue = typeof d === "object" && d !== null ? (d as Record<string, unknown>) : {};
      const field = typeof issue.field === "string" ? issue.field : "";
      const text = typeof issue.error === "string" ? issue.error : err.message;
      // "channels.2" belongs under the channels field, with its index kept in the message.
      const head = field.split(".")[0]!;
      const key = known.includes(field) ? field : known.includes(head) ? head : null;
      const line = key === field ? text : `${field}: ${text}`;
      if (key) fields[key] = fields[key] ? `${fields[key]}; ${line}` : line;
      else rest.push(field ? `${field}: ${text}` : text);
    }
  }
  if (Object.keys(fields).length > 0) return { fields, banner: rest.length ? rest.join("; ") : null };
  if (err instanceof ApiRequestError && err.status === 403 && KIND_SCOPE[kind] === "org-project-model") {
    return { fields, banner: `${err.message}. Audit-trail and GDPR processing reports need the admin role (or an admin key) on their scope.` };
  }
  return { fields, banner: describeError(err) };
}

/** A `datetime-local` value for a time, in the browser's zone (what the custom range inputs show). */
export function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
