import { useState } from "preact/hooks";
import { listErasures, requestErasure, type ErasureRequest } from "../../../api/compliance.ts";
import { describeError } from "../../../api/errors.ts";
import { useRequest } from "../../../api/use-request.ts";
import { ErrorBanner } from "../../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../../components/RequestStatus.tsx";
import { useAppState } from "../../../state/app-state.ts";
import { utc } from "../../../components/SignatureTable.tsx";

const STATUS_BADGE: Record<ErasureRequest["status"], string> = { pending: "badge-warning", running: "badge-info", done: "badge-healthy", failed: "badge-critical" };

/** The certificate as the file to hand a data subject or an auditor: its document, exactly as hashed. */
function certificateHref(r: ErasureRequest): string {
  return `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify({ sha256: r.certificate!.sha256, document: r.certificate!.document }, null, 2))}`;
}

/** GDPR Art. 17 requests: ask for one, follow its status, download its certificate. */
export function ErasurePanel() {
  const state = useAppState();
  const [nonce, setNonce] = useState(0);
  const requests = useRequest((s) => listErasures(state.api, s), [state, nonce]);
  const [subject, setSubject] = useState("");
  const [error, setError] = useState<string | null>(null);
  const unfinished = requests.data?.items.some((r) => r.status === "pending" || r.status === "running");

  return (
    <section class="card" aria-labelledby="erasure-title">
      <h2 id="erasure-title">Erasure requests</h2>
      {error && <ErrorBanner title="Erasure not requested" message={error} />}
      <form
        class="row"
        style={{ alignItems: "flex-end", marginBottom: "0.8rem" }}
        aria-label="Request an erasure"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          requestErasure(state.api, { subject_id: subject.trim() })
            .then(() => (setSubject(""), setNonce((n) => n + 1)))
            .catch((err: unknown) => setError(describeError(err)));
        }}
      >
        <label>
          Subject id
          <input required maxLength={128} value={subject} onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button class="primary" type="submit">
          Erase this subject
        </button>
        <button type="button" onClick={() => setNonce((n) => n + 1)}>
          {unfinished ? "Refresh status" : "Refresh"}
        </button>
      </form>
      <RequestStatus request={requests} what="erasure requests" />
      {requests.data && requests.data.items.length === 0 && <p class="muted">No erasure requests yet.</p>}
      {requests.data && requests.data.items.length > 0 && (
        <table aria-label="Erasure requests">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Completed</th>
              <th scope="col">Removed</th>
              <th scope="col">Certificate</th>
            </tr>
          </thead>
          <tbody>
            {requests.data.items.map((r) => (
              <tr key={r.id} data-erasure={r.id}>
                <td class="mono">{utc(r.requestedAt)}</td>
                <td>
                  <span class={`badge ${STATUS_BADGE[r.status]}`}>{r.status}</span>
                  {r.error && <span class="muted"> {r.error}</span>}
                </td>
                <td class="mono">{r.completedAt ? utc(r.completedAt) : "—"}</td>
                <td>
                  {Object.entries(r.removed)
                    .map(([store, n]) => `${store} ${n}`)
                    .join(", ") || "—"}
                </td>
                <td>
                  {r.certificate ? (
                    <a href={certificateHref(r)} download={`erasure-certificate-${r.id}.json`} title={`SHA-256 ${r.certificate.sha256}`}>
                      Download certificate
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
