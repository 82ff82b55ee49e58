import { useState } from "preact/hooks";
import { listChannels, type Channel } from "../../api/channels.ts";
import { describeError } from "../../api/errors.ts";
import { deleteSchedule, listSchedules, updateSchedule, type ReportSchedule } from "../../api/report-schedules.ts";
import { describeScope, KIND_LABELS } from "../../api/reports.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";
import { CronError, describeCron, nextRun } from "./cron.ts";
import { minuteUtc } from "./format.ts";
import { ScheduleForm } from "./ScheduleForm.tsx";

function cronHint(cron: string): string {
  try {
    return describeCron(cron);
  } catch (err) {
    return err instanceof CronError ? `not a valid cron: ${err.message}` : String(err);
  }
}

/** The server's next run when it says; otherwise the cron's next firing from now. */
function nextRunText(s: ReportSchedule): string {
  if (!s.enabled) return "paused";
  if (s.nextRunAt) return minuteUtc(s.nextRunAt);
  try {
    const at = nextRun(s.cron, new Date());
    return at ? minuteUtc(at.toISOString()) : "never";
  } catch {
    return "—";
  }
}

/** "7 d", "36 h", or the duration as the server wrote it. */
const rangeText = (s: ReportSchedule) => (s.rangeHours === null ? (s.range ?? "—") : s.rangeHours % 24 === 0 ? `${s.rangeHours / 24} d` : `${s.rangeHours} h`);

/**
 * Report schedules: what each generates, when (the cron and what it means), through which
 * channels, its next and last run; create one, delete one.
 */
export function SchedulesPanel() {
  const { api } = useAppState();
  const [nonce, setNonce] = useState(0);
  const schedules = useRequest((s) => listSchedules(api, s), [api, nonce]);
  const channels = useRequest((s) => listChannels(api, s).catch(() => [] as Channel[]), [api]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? `${id.slice(0, 8)}…`;

  /** Runs a change to one schedule, then re-reads the list; `busy` disables that row's buttons meanwhile. */
  const act = async (s: ReportSchedule, what: string, change: () => Promise<unknown>) => {
    setError(null);
    setBusy(s.id);
    try {
      await change();
      setNonce((n) => n + 1);
    } catch (err) {
      setError(`${what}: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };
  const remove = (s: ReportSchedule) => {
    if (!confirm(`Delete the schedule "${s.name ?? s.cron}"? Reports it made stay.`)) return;
    void act(s, "Schedule not deleted", () => deleteSchedule(api, s.id));
  };
  const toggle = (s: ReportSchedule) => void act(s, s.enabled ? "Schedule not paused" : "Schedule not resumed", () => updateSchedule(api, s.id, { enabled: !s.enabled }));

  const items = schedules.data?.items ?? [];
  return (
    <section class="card stack" aria-labelledby="schedules-title">
      <h2 id="schedules-title" style={{ margin: 0 }}>
        Schedules
      </h2>
      <RequestStatus request={schedules} what="report schedules" />
      {!schedules.missing && <ScheduleForm channels={channels.data ?? []} onCreated={() => setNonce((n) => n + 1)} />}
      {error && <ErrorBanner title="The schedule did not change" message={error} />}
      {schedules.data && items.length === 0 && <p class="muted">No schedules yet.</p>}
      {items.length > 0 && (
        <div style={{ overflowX: "auto" }}>
          <table aria-label="Report schedules">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Scope</th>
                <th scope="col">When</th>
                <th scope="col">Range</th>
                <th scope="col">Format</th>
                <th scope="col">Channels</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} data-schedule={s.id}>
                  <td>
                    {KIND_LABELS[s.kind]}
                    {s.name && (
                      <div class="muted" style={{ fontSize: "12px" }}>
                        {s.name}
                      </div>
                    )}
                  </td>
                  <td>{describeScope(s)}</td>
                  <td>
                    <code>{s.cron}</code>
                    <div class="muted" data-testid="cron-hint" style={{ fontSize: "12px" }}>
                      {cronHint(s.cron)}
                    </div>
                  </td>
                  <td title={s.range ?? undefined}>{rangeText(s)}</td>
                  <td>{s.format.toUpperCase()}</td>
                  <td>{s.channels.length ? s.channels.map(channelName).join(", ") : <span class="muted">none (listed here only)</span>}</td>
                  <td class="mono">{nextRunText(s)}</td>
                  <td>
                    <span class="mono">{s.lastRunAt ? minuteUtc(s.lastRunAt) : "never"}</span>
                    {s.lastError && (
                      <div class="warn" style={{ fontSize: "12px" }}>
                        {s.lastError}
                      </div>
                    )}
                  </td>
                  <td>
                    <div class="row" style={{ flexWrap: "nowrap" }}>
                      <button type="button" disabled={busy === s.id} onClick={() => toggle(s)} aria-label={`${s.enabled ? "Pause" : "Resume"} schedule ${s.name ?? s.cron}`}>
                        {s.enabled ? "Pause" : "Resume"}
                      </button>
                      <button type="button" class="danger" disabled={busy === s.id} onClick={() => remove(s)} aria-label={`Delete schedule ${s.name ?? s.cron}`}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
