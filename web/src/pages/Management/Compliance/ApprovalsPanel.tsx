import { useState } from "preact/hooks";
import { ACTION_LABELS, listApprovals, listSignatures, signApproval, type Approval } from "../../../api/compliance.ts";
import { useRequest } from "../../../api/use-request.ts";
import { RequestStatus } from "../../../components/RequestStatus.tsx";
import { SigningDialog } from "../../../components/SigningDialog.tsx";
import { useAppState } from "../../../state/app-state.ts";
import { SignatureTable, utc } from "../../../components/SignatureTable.tsx";

function describe(a: Approval): string {
  const what = `${a.model} ${a.version}`;
  if (a.action === "production_promotion") return `Promote ${what} to production`;
  if (a.action === "threshold_change") return `Set the thresholds of ${what} to ${JSON.stringify(a.record.thresholds)}`;
  return `Make baseline "${String(a.record.baseline_name ?? a.record.baseline_id)}" the active one of ${what}`;
}

/** Signed changes waiting for more signers, each signable here, and the org's latest signatures. */
export function ApprovalsPanel() {
  const state = useAppState();
  const [nonce, setNonce] = useState(0);
  const pending = useRequest((s) => listApprovals(state.api, { status: "pending" }, s), [state, nonce]);
  const recent = useRequest((s) => listSignatures(state.api, null, s), [state, nonce]);
  const [signing, setSigning] = useState<Approval | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <section class="card" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Pending approvals</h2>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <RequestStatus request={pending} what="pending approvals" />
      {pending.data && pending.data.items.length === 0 && <p class="muted">No change is waiting for signatures.</p>}
      {pending.data && pending.data.items.length > 0 && (
        <table aria-label="Pending approvals">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Signed</th>
              <th scope="col">Since</th>
              <th scope="col">Record SHA-256</th>
              <th scope="col">
                <span class="visually-hidden">Sign</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <strong>{ACTION_LABELS[a.action]}</strong>: {describe(a)}
                </td>
                <td>
                  {a.signatures.length} of {a.approvalsRequired}
                  {a.signatures.length > 0 && <span class="muted"> ({a.signatures.map((s) => `${s.signer.name}, ${s.meaning}`).join("; ")})</span>}
                </td>
                <td class="mono">{utc(a.createdAt)}</td>
                <td class="mono" title={a.recordSha256}>
                  {a.recordSha256.slice(0, 12)}…
                </td>
                <td>
                  <button type="button" onClick={() => (setMessage(null), setSigning(a))}>
                    Sign…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {signing && (
        <SigningDialog
          title={`Sign: ${ACTION_LABELS[signing.action].toLowerCase()}`}
          what={`${describe(signing)}. Record SHA-256 ${signing.recordSha256}.`}
          onClose={() => setSigning(null)}
          sign={async (signature) => {
            const outcome = await signApproval(state.api, signing, signature);
            setMessage(outcome.state === "done" ? `Signed and applied: ${describe(signing)}.` : `Signed: ${describe(signing)} waits for more signers.`);
            setNonce((n) => n + 1);
          }}
        />
      )}
      <h3 style={{ marginTop: "1rem" }}>Latest signatures</h3>
      <RequestStatus request={recent} what="signatures" />
      {recent.data && <SignatureTable items={recent.data.items} empty="Nobody has signed anything in this org yet." />}
    </section>
  );
}
