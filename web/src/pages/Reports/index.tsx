// Reports (issue 16; docs/dashboard.md): generate a drift, performance, model-risk,
// audit-trail or GDPR processing report as PDF, HTML or JSON; list the reports the caller
// may read with their status, hash and file; preview HTML in place; and the schedules that
// generate them on a cron and deliver them through channels.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Report } from "../../api/reports.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { Skeleton } from "../../components/Skeleton.tsx";
import { useAppState } from "../../state/app-state.ts";
import { ReportForm } from "./ReportForm.tsx";
import { ReportPreview } from "./ReportPreview.tsx";
import { ReportsTable } from "./ReportsTable.tsx";
import { createReportList, POLL_MS } from "./report-list.ts";
import { SchedulesPanel } from "./SchedulesPanel.tsx";

export function ReportsPage() {
  const { api } = useAppState();
  const list = useMemo(() => createReportList(api), [api]);
  const [preview, setPreview] = useState<Report | null>(null);
  useEffect(() => void list.refresh(), [list]);
  const running = list.running.value;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void list.refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [list, running]);

  const items = list.items.value;
  const loading = list.loading.value;
  const firstLoad = loading && items.length === 0 && list.error.value === null;
  return (
    <section aria-labelledby="reports-title" class="stack">
      <div class="page-head">
        <div>
          <h1 id="reports-title">Reports</h1>
          <p class="muted">
            Drift and performance reports, model-risk summaries, audit trails and GDPR processing records, as PDF, HTML or JSON. Each carries its SHA-256 and the audit chain's anchor when it was made.
          </p>
        </div>
      </div>
      {list.missing.value ? (
        <p class="notice">This server does not offer reports yet.</p>
      ) : (
        <>
          <ReportForm onCreated={list.add} />
          <section class="card" aria-labelledby="reports-list-title">
            <div class="row" style={{ justifyContent: "space-between", marginBottom: "0.6rem" }}>
              <h2 id="reports-list-title" style={{ margin: 0 }}>
                Reports
              </h2>
              <button type="button" onClick={() => void list.refresh()} disabled={loading}>
                Refresh
              </button>
            </div>
            {list.error.value && <ErrorBanner title="Could not load reports" message={list.error.value} onRetry={() => void list.refresh()} />}
            {firstLoad ? (
              <Skeleton lines={3} label="Loading reports" />
            ) : (
              <ReportsTable
                reports={items}
                previewId={preview?.id ?? null}
                onPreview={(r) => setPreview((p) => (p?.id === r.id ? null : r))}
                more={list.nextCursor.value ? { loading, load: () => void list.loadMore() } : null}
              />
            )}
          </section>
          {preview && <ReportPreview key={preview.id} report={preview} onClose={() => setPreview(null)} />}
        </>
      )}
      <SchedulesPanel />
    </section>
  );
}
