import type { Report } from "../../api/reports.ts";
import { ReportRow } from "./ReportRow.tsx";

/** The reports the caller may read, newest first, with a way to the next page. */
export function ReportsTable({ reports, previewId, onPreview, more }: { reports: Report[]; previewId: string | null; onPreview: (r: Report) => void; more: { loading: boolean; load: () => void } | null }) {
  if (reports.length === 0) return <p class="muted">No reports yet. Generate one above; scheduled reports appear here too.</p>;
  return (
    <>
      <div style={{ overflowX: "auto" }}>
        <table aria-label="Reports">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Scope</th>
              <th scope="col">Range</th>
              <th scope="col">Format</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">SHA-256</th>
              <th scope="col">File</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <ReportRow key={r.id} report={r} previewing={previewId === r.id} onPreview={onPreview} />
            ))}
          </tbody>
        </table>
      </div>
      {more && (
        <button type="button" style={{ marginTop: "0.6rem" }} onClick={more.load} disabled={more.loading}>
          {more.loading ? "Loading…" : "Load older reports"}
        </button>
      )}
    </>
  );
}
