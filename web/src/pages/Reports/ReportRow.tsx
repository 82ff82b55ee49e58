import { useState } from "preact/hooks";
import { describeError } from "../../api/errors.ts";
import { describeScope, fetchReportFile, KIND_LABELS, projectOf, sha256Hex, type Report } from "../../api/reports.ts";
import { formatMs } from "../../components/format.ts";
import { useAppState } from "../../state/app-state.ts";
import { formatBytes, formatRange, minuteUtc } from "./format.ts";
import { saveFile } from "./save-file.ts";
import { Sha } from "./Sha.tsx";

const STATUS_BADGE: Record<Report["status"], string> = { running: "badge-info", succeeded: "badge-healthy", failed: "badge-critical" };

type DownloadState = { state: "idle" } | { state: "busy" } | { state: "done"; verified: boolean | null } | { state: "error"; message: string };

/** One report: what it covers, its status (a failed one with its reason), who made it, its hash, and its file. */
export function ReportRow({ report: r, previewing, onPreview }: { report: Report; previewing: boolean; onPreview: (r: Report) => void }) {
  const { api } = useAppState();
  const [download, setDownload] = useState<DownloadState>({ state: "idle" });
  const ready = r.status === "succeeded";

  const save = async () => {
    setDownload({ state: "busy" });
    try {
      const file = await fetchReportFile(api, r);
      // The bytes are checked against the hash the API recorded (and audited) before they are saved.
      const actual = await sha256Hex(file.blob);
      saveFile(file.blob, file.fileName ?? r.fileName ?? `${r.id}.${r.format}`);
      setDownload({ state: "done", verified: actual === null || r.sha256 === null ? null : actual === r.sha256 });
    } catch (err) {
      setDownload({ state: "error", message: describeError(err) });
    }
  };

  return (
    <tr data-report={r.id} data-status={r.status}>
      <td>{KIND_LABELS[r.kind]}</td>
      <td>{describeScope({ ...r, project: projectOf(r) })}</td>
      <td class="mono" title={formatRange(r.from, r.to)}>
        <div style={{ whiteSpace: "nowrap" }}>{minuteUtc(r.from).replace(" UTC", "")} →</div>
        <div style={{ whiteSpace: "nowrap" }}>{minuteUtc(r.to)}</div>
      </td>
      <td>{r.format.toUpperCase()}</td>
      <td>
        <span class={`badge ${STATUS_BADGE[r.status]}`}>{r.status}</span>
        {r.status === "failed" && (
          <div class="warn" data-testid="report-error" style={{ fontSize: "12px", maxWidth: "22rem" }}>
            {r.error ?? "no reason recorded"}
          </div>
        )}
        {ready && r.sizeBytes !== null && (
          <div class="muted" style={{ fontSize: "12px" }}>
            {formatBytes(r.sizeBytes)}
            {r.durationMs !== null && `, ${formatMs(r.durationMs)}`}
          </div>
        )}
      </td>
      <td>
        <div title={r.createdBy.type}>{r.scheduleId ? "schedule" : r.createdBy.id}</div>
        <div class="muted mono">{minuteUtc(r.createdAt)}</div>
      </td>
      <td>
        <Sha value={r.sha256} />
      </td>
      <td>
        <div class="row" style={{ flexWrap: "nowrap", whiteSpace: "nowrap" }}>
          {ready && (
            <button type="button" onClick={save} disabled={download.state === "busy"} aria-label={`Download ${r.format.toUpperCase()} ${r.fileName ?? r.id}`}>
              {download.state === "busy" ? "Downloading…" : `Download ${r.format.toUpperCase()}`}
            </button>
          )}
          {ready && r.format === "html" && (
            <button type="button" onClick={() => onPreview(r)} aria-pressed={previewing ? "true" : "false"}>
              Preview
            </button>
          )}
        </div>
        {download.state === "done" && download.verified === true && (
          <div class="muted" style={{ fontSize: "12px" }} data-testid="download-verified">
            SHA-256 verified
          </div>
        )}
        {download.state === "done" && download.verified === false && (
          <div class="warn" role="alert" style={{ fontSize: "12px" }}>
            The downloaded file's SHA-256 differs from the report's.
          </div>
        )}
        {download.state === "error" && (
          <div class="warn" role="alert" style={{ fontSize: "12px" }}>
            {download.message}
          </div>
        )}
      </td>
    </tr>
  );
}
