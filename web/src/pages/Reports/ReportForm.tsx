import { useEffect, useState } from "preact/hooks";
import { createReport, KIND_LABELS, REPORT_FORMATS, isComplianceKind, type Report, type ReportFormat } from "../../api/reports.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { formatMs } from "../../components/format.ts";
import { useAppState } from "../../state/app-state.ts";
import { Field, invalidProps } from "./Field.tsx";
import { KindField } from "./KindField.tsx";
import { ScopePickers } from "./ScopePickers.tsx";
import { buildRequest, EMPTY_FORM, explainFailure, localInputValue, RANGE_PRESETS, type FieldErrors, type RangePreset, type ReportForm as FormState } from "./report-form.ts";

const FORMAT_LABELS: Record<ReportFormat, string> = { html: "HTML", pdf: "PDF", json: "JSON" };
const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;

/** Seconds since `since`, ticking while `since` is set: the form's progress while the server generates. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/**
 * Generate a report: kind, what it covers, range (presets or custom) and format. The POST
 * answers when the report is done, which can take seconds: meanwhile the button is
 * disabled and the form shows it is generating. Refusals appear under the field the API
 * names; a failed generation comes back as a row with its reason.
 */
export function ReportForm({ onCreated }: { onCreated: (r: Report) => void }) {
  const { api } = useAppState();
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const elapsed = useElapsed(startedAt);
  const update = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch)) delete next[k as keyof FieldErrors];
      if ("range" in patch) (delete next.from, delete next.to);
      return next;
    });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (startedAt !== null) return;
    setBanner(null);
    setOutcome(null);
    const built = buildRequest(form, Date.now());
    if ("errors" in built) return setErrors(built.errors);
    setErrors({});
    setStartedAt(Date.now());
    try {
      const report = await createReport(api, built.request);
      onCreated(report);
      setOutcome(report.status === "failed" ? `Generation failed: ${report.error ?? "no reason given"}` : `Report generated in ${formatMs(report.durationMs)}.`);
    } catch (err) {
      const why = explainFailure(err, form.kind);
      setErrors(why.fields);
      setBanner(why.banner);
    } finally {
      setStartedAt(null);
    }
  };

  const generating = startedAt !== null;
  return (
    <section class="card" aria-labelledby="report-form-title">
      <h2 id="report-form-title">Generate a report</h2>
      <form aria-label="Generate a report" aria-busy={generating ? "true" : "false"} onSubmit={submit} noValidate>
        <div class="row" style={{ alignItems: "flex-start" }}>
          <KindField idPrefix="report" value={form.kind} error={errors.kind} onChange={(kind) => update({ kind, version: "" })} />
          <ScopePickers idPrefix="report" form={form} errors={errors} onChange={update} />
          <Field name="report-range" label="Range">
            <select
              data-testid="report-range"
              value={form.range}
              onChange={(e) => {
                const range = value(e) as RangePreset;
                // A custom range starts as the last 24 hours, to be edited.
                const now = Date.now();
                update(range === "custom" && !form.from ? { range, from: localInputValue(now - 86_400_000), to: localInputValue(now) } : { range });
              }}
            >
              {RANGE_PRESETS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          {form.range === "custom" && (
            <>
              <Field name="report-from" label="From (local time)" error={errors.from}>
                <input type="datetime-local" data-testid="report-from" value={form.from} {...invalidProps("report-from", errors.from)} onInput={(e) => update({ from: value(e) })} />
              </Field>
              <Field name="report-to" label="To (local time)" error={errors.to}>
                <input type="datetime-local" data-testid="report-to" value={form.to} {...invalidProps("report-to", errors.to)} onInput={(e) => update({ to: value(e) })} />
              </Field>
            </>
          )}
          {form.range !== "custom" && (errors.from || errors.to) && (
            <p class="warn" data-testid="report-range-error" style={{ alignSelf: "flex-end", margin: 0, maxWidth: "24rem" }}>
              {[errors.from && `from: ${errors.from}`, errors.to && `to: ${errors.to}`].filter(Boolean).join("; ")}
            </p>
          )}
          <fieldset class="row" style={{ padding: "0.2rem 0.6rem 0.4rem" }}>
            <legend>Format</legend>
            {REPORT_FORMATS.map((f) => (
              <label key={f} style={{ flexDirection: "row", alignItems: "center", color: "var(--text)" }}>
                <input type="radio" name="report-format" value={f} checked={form.format === f} onChange={() => update({ format: f })} />
                {FORMAT_LABELS[f]}
              </label>
            ))}
          </fieldset>
        </div>
        {isComplianceKind(form.kind) && <p class="muted">Audit-trail and GDPR processing reports need the admin role on what they cover.</p>}
        <div class="row" style={{ marginTop: "0.8rem" }}>
          <button class="primary" type="submit" disabled={generating}>
            {generating ? "Generating…" : "Generate report"}
          </button>
          {generating && (
            <span class="row" role="status" data-testid="report-progress">
              <progress class="progress" style={{ width: "8rem" }} aria-label="Generating the report" />
              <span>
                Generating {KIND_LABELS[form.kind].toLowerCase()} report… {elapsed} s
              </span>
            </span>
          )}
          {!generating && outcome && (
            <span role="status" class={outcome.startsWith("Generation failed") ? "warn" : "muted"} data-testid="report-outcome">
              {outcome}
            </span>
          )}
        </div>
      </form>
      {banner && <ErrorBanner title="The report was not generated" message={banner} />}
    </section>
  );
}
