import { useState } from "preact/hooks";
import { listApprovals, listSignatures, promoteToProduction } from "../../api/compliance.ts";
import { ApiRequestError, describeError } from "../../api/errors.ts";
import type { VersionSummary } from "../../api/registry.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { SignatureTable } from "../../components/SignatureTable.tsx";
import { SigningDialog } from "../../components/SigningDialog.tsx";
import { useAppState } from "../../state/app-state.ts";

/**
 * Who signed what for this version (promotions, threshold changes; baseline activations
 * are listed under the baseline's own id in Compliance), the promotion waiting for signers,
 * and "Promote to production": tried unsigned first, and the signing dialog opens when the
 * org's policy answers that it needs a signature (428).
 */
export function SignaturesPanel({ version, onChanged }: { version: VersionSummary; onChanged: () => void }) {
  const state = useAppState();
  const [nonce, setNonce] = useState(0);
  const signed = useRequest((s) => listSignatures(state.api, { type: "model_version", id: version.id }, s), [state, version.id, nonce]);
  const pending = useRequest((s) => listApprovals(state.api, { status: "pending", targetId: version.id }, s), [state, version.id, nonce]);
  const [signing, setSigning] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => (setNonce((n) => n + 1), onChanged());

  const promote = async () => {
    setError(null);
    setMessage(null);
    try {
      await promoteToProduction(state.api, version.model, version.version);
      setMessage(`${version.model} ${version.version} is in production.`);
      refresh();
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === "signature_required") setSigning(err.message);
      else setError(describeError(err));
    }
  };

  const waiting = pending.data?.items.find((a) => a.action === "production_promotion");
  return (
    <section class="card" aria-labelledby="signatures-title">
      <h2 id="signatures-title">Signatures</h2>
      {error && <ErrorBanner title="Not promoted" message={error} />}
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      {waiting && (
        <p class="notice" role="status" data-testid="pending-promotion">
          Promotion to production waits for signatures: {waiting.signatures.length} of {waiting.approvalsRequired} (
          {waiting.signatures.map((s) => s.signer.name).join(", ")}).
        </p>
      )}
      {version.stage !== "production" && (
        <div class="row" style={{ marginBottom: "0.8rem" }}>
          <button class="primary" type="button" onClick={() => void promote()}>
            Promote to production
          </button>
        </div>
      )}
      {signing && (
        <SigningDialog
          title={`Sign: promote ${version.model} ${version.version} to production`}
          what={`${signing}. The record signed is this version with its current baseline and thresholds.`}
          onClose={() => setSigning(null)}
          sign={async (signature) => {
            const outcome = await promoteToProduction(state.api, version.model, version.version, signature);
            setMessage(
              outcome.state === "done"
                ? `Signed. ${version.model} ${version.version} is in production.`
                : `Signed. The promotion waits for ${outcome.approval.approvalsRequired - outcome.approval.signatures.length} more signer(s).`,
            );
            refresh();
          }}
        />
      )}
      <RequestStatus request={signed} what="signatures" />
      {signed.data && <SignatureTable items={signed.data.items} empty="Nothing signed for this version yet." />}
    </section>
  );
}
