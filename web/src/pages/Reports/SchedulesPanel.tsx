import { useState } from "preact/hooks";
import { listChannels, type Channel } from "../../api/channels.ts";
import { describeError } from "../../api/errors.ts";
import { deleteSchedule, listSchedules, type ReportSchedule } from "../../api/report-schedules.ts";
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

const rangeText = (h: number | null) => (h === null ? "—" : h % 24 === 0 ? `${h / 24} d` : `${h} h`);

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
  const [deleting, setDeleting] = useState<string | null>(null);
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? `${id.slice(0, 8)}…`;

  const remove = async (s: ReportSchedule) => {
    if (!confirm(`Delete the ${KIND_LABELS[s.kind].toLowerCase()} report schedule for ${describeScope(s)} (${s.cron})? Reports it made stay.`)) return;
    setError(null);
    setDeleting(s.id);
    try {
      await deleteSchedule(api, s.id);
      setNonce((n) => n + 1);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setDeleting(null);
    }
  };

  const items = schedules.data?.items ?? [];
  return (
    <section class="card stack" aria-labelledby="schedules-title">
      <h2 id="schedules-title" style={{ margin: 0 }}>
        Schedules
      </h2>
      <RequestStatus request={schedules} what="report schedules" />
      {!schedules.missing && <ScheduleForm channels={channels.data ?? []} onCreated={() => setNonce((n) => n + 1)} />}
      {error && <ErrorBanner title="Schedule not deleted" message={error} />}
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
                  <td>{KIND_LABELS[s.kind]}</td>
                  <td>{describeScope(s)}</td>
                  <td>
                    <code>{s.cron}</code>
                    <div class="muted" data-testid="cron-hint" style={{ fontSize: "12px" }}>
                      {cronHint(s.cron)}
                    </div>
                  </td>
                  <td>{rangeText(s.rangeHours)}</td>
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
                    <button type="button" class="danger" disabled={deleting === s.id} onClick={() => void remove(s)} aria-label={`Delete schedule ${s.cron} ${describeScope(s)}`}>
                      {deleting === s.id ? "Deleting…" : "Delete"}
                    </button>
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
