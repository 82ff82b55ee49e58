import { useState } from "preact/hooks";
import type { Channel } from "../../api/channels.ts";
import { createSchedule, type NewSchedule } from "../../api/report-schedules.ts";
import { REPORT_FORMATS, type ReportFormat } from "../../api/reports.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { useAppState } from "../../state/app-state.ts";
import { CronError, describeCron, nextRun } from "./cron.ts";
import { Field, invalidProps } from "./Field.tsx";
import { KindField } from "./KindField.tsx";
import { minuteUtc } from "./format.ts";
import { explainFailure, visibleFields, type ComplianceScope, type FieldErrors } from "./report-form.ts";
import { ScopePickers, type ScopeValue } from "./ScopePickers.tsx";

/** The window each run covers, ending at its scheduled time (ISO 8601 durations); "" leaves it to the server: the cron's period. */
export const SCHEDULE_RANGES = [
  { value: "", label: "One cron period (default)" },
  { value: "P1D", label: "The 24 hours before" },
  { value: "P7D", label: "The 7 days before" },
  { value: "P30D", label: "The 30 days before" },
] as const;

type ScheduleField = keyof FieldErrors | "name" | "cron" | "channels" | "range";
interface State extends ScopeValue {
  name: string;
  cron: string;
  format: ReportFormat;
  range: string;
  channels: string[];
}

const INITIAL: State = { kind: "drift", scope: "org", model: "", version: "", project: "", name: "", cron: "0 7 * * 1", format: "pdf", range: "", channels: [] };
/** Channels that can carry a report: a link for chat and PagerDuty, a signed body for webhooks (a retrain hook cannot). */
const REPORT_CHANNEL_KINDS: readonly string[] = ["webhook", "slack", "pagerduty", "teams"];
const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;

/** The cron in words and its next firing, or why it is not a cron. */
function cronPreview(cron: string): { ok: boolean; text: string } {
  try {
    const next = nextRun(cron, new Date());
    return { ok: true, text: `${describeCron(cron)}; next ${next ? minuteUtc(next.toISOString()) : "never"}` };
  } catch (err) {
    return { ok: false, text: err instanceof CronError ? err.message : String(err) };
  }
}

/** A new schedule: the report (kind, scope, format, range), when (cron, UTC) and where it goes (channels). */
export function ScheduleForm({ channels, onCreated }: { channels: Channel[]; onCreated: () => void }) {
  const { api } = useAppState();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<State>(INITIAL);
  const [errors, setErrors] = useState<Partial<Record<ScheduleField, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<State>) => setForm((f) => ({ ...f, ...patch }));
  const hint = cronPreview(form.cron);
  const usable = channels.filter((c) => REPORT_CHANNEL_KINDS.includes(c.kind));

  if (!open)
    return (
      <div>
        <button type="button" onClick={() => setOpen(true)}>
          New schedule…
        </button>
      </div>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBanner(null);
    if (!hint.ok) return setErrors({ cron: hint.text });
    const show = visibleFields(form);
    const body: NewSchedule = { kind: form.kind, cron: form.cron.trim(), format: form.format, channels: form.channels };
    if (form.name.trim()) body.name = form.name.trim();
    if (form.range) body.range = form.range;
    if (show.model && form.model) body.model = form.model;
    if (show.version && form.version) body.version = form.version;
    if (show.project && form.project) body.project = form.project;
    setBusy(true);
    try {
      await createSchedule(api, body);
      setErrors({});
      setForm(INITIAL);
      setOpen(false);
      onCreated();
    } catch (err) {
      const why = explainFailure(err, form.kind, ["name", "cron", "channels", "range"]);
      setErrors(why.fields);
      setBanner(why.banner);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-label="New report schedule" onSubmit={submit} noValidate class="stack" style={{ gap: "0.6rem" }}>
      <div class="row" style={{ alignItems: "flex-start" }}>
        <KindField idPrefix="schedule" value={form.kind} error={errors.kind} onChange={(kind) => update({ kind, version: "" })} />
        <ScopePickers idPrefix="schedule" form={form} errors={errors} onChange={(p) => update(p as Partial<State> & { scope?: ComplianceScope })} />
        <Field name="schedule-cron" label="Cron (UTC)" error={errors.cron ?? (hint.ok ? null : hint.text)}>
          <input data-testid="schedule-cron" class="mono" size={14} value={form.cron} {...invalidProps("schedule-cron", errors.cron ?? (hint.ok ? null : hint.text))} onInput={(e) => update({ cron: value(e) })} />
        </Field>
        <Field name="schedule-range" label="Each report covers" error={errors.range}>
          <select data-testid="schedule-range" value={form.range} onChange={(e) => update({ range: value(e) })}>
            {SCHEDULE_RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <Field name="schedule-format" label="Format" error={errors.format}>
          <select data-testid="schedule-format" value={form.format} onChange={(e) => update({ format: value(e) as ReportFormat })}>
            {REPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field name="schedule-name" label="Name (optional)" error={errors.name}>
        <input data-testid="schedule-name" maxLength={200} size={40} value={form.name} placeholder="the kind, scope and cron" onInput={(e) => update({ name: value(e) })} />
      </Field>
      {hint.ok && (
        <p class="muted" data-testid="schedule-cron-hint" style={{ margin: 0 }}>
          Runs {hint.text}.
        </p>
      )}
      <fieldset>
        <legend>Deliver through</legend>
        {usable.length === 0 && <p class="muted" style={{ margin: 0 }}>No channels yet (Management → Channels); the reports are listed here either way.</p>}
        <div class="row">
          {usable.map((c) => (
            <label key={c.id} style={{ flexDirection: "row", alignItems: "center", color: "var(--text)" }}>
              <input
                type="checkbox"
                checked={form.channels.includes(c.id)}
                onChange={(e) => update({ channels: (e.currentTarget as HTMLInputElement).checked ? [...form.channels, c.id] : form.channels.filter((x) => x !== c.id) })}
              />
              {c.name} ({c.kind})
            </label>
          ))}
        </div>
        {errors.channels && <span class="warn">{errors.channels}</span>}
      </fieldset>
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>
          {busy ? "Saving…" : "Create schedule"}
        </button>
        <button type="button" onClick={() => (setOpen(false), setErrors({}), setBanner(null))}>
          Cancel
        </button>
      </div>
      {banner && <ErrorBanner title="Schedule not created" message={banner} />}
    </form>
  );
}
