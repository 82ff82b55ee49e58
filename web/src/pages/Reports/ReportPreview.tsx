import { useEffect, useRef } from "preact/hooks";
import { describeScope, fetchReportFile, KIND_LABELS, projectOf, type Report } from "../../api/reports.ts";
import { useRequest } from "../../api/use-request.ts";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";

/**
 * An HTML report shown in place. The bytes are fetched with the session's credentials and
 * given to an iframe as srcdoc, sandboxed with no permissions at all: no script runs, no
 * form submits, and the document gets an opaque origin, so it can reach neither the
 * dashboard nor its API. (The report has no script anyway: inline CSS and SVG only.)
 */
export function ReportPreview({ report, onClose }: { report: Report; onClose: () => void }) {
  const { api } = useAppState();
  const section = useRef<HTMLElement>(null);
  // The preview opens below the list: bring it into view (once per report).
  useEffect(() => section.current?.scrollIntoView?.({ behavior: "smooth", block: "start" }), [report.id]);
  const html = useRequest(
    (signal) =>
      fetchReportFile(api, report, { inline: true, signal }).then(async (f) => {
        if (!f.contentType.startsWith("text/html")) throw new Error(`the report's file is ${f.contentType}, not HTML`);
        return f.blob.text();
      }),
    [api, report.id],
  );
  const title = `${KIND_LABELS[report.kind]} report: ${describeScope({ ...report, project: projectOf(report) })}`;
  return (
    <section ref={section} class="card stack" aria-labelledby="report-preview-title" data-testid="report-preview">
      <div class="row" style={{ justifyContent: "space-between" }}>
        <h2 id="report-preview-title" style={{ margin: 0 }}>
          Preview: {title}
        </h2>
        <button type="button" onClick={onClose}>
          Close preview
        </button>
      </div>
      <RequestStatus request={html} what="the report" />
      {html.data !== undefined && (
        <iframe
          title={`Report ${report.id}`}
          sandbox=""
          referrerpolicy="no-referrer"
          srcdoc={html.data}
          style={{ width: "100%", height: "70vh", border: "1px solid var(--border)", borderRadius: "6px", background: "white" }}
        />
      )}
    </section>
  );
}
