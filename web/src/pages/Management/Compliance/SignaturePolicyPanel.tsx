import { useEffect, useState } from "preact/hooks";
import { ACTION_LABELS, getSignaturePolicy, putSignaturePolicy, SIGNED_ACTIONS, type SignaturePolicy } from "../../../api/compliance.ts";
import { describeError } from "../../../api/errors.ts";
import { useRequest } from "../../../api/use-request.ts";
import { ErrorBanner } from "../../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../../components/RequestStatus.tsx";
import { useAppState } from "../../../state/app-state.ts";

/** Which changes need electronic signatures, and from how many distinct users (admins only). */
export function SignaturePolicyPanel() {
  const state = useAppState();
  const policy = useRequest((s) => getSignaturePolicy(state.api, s), [state]);
  const [draft, setDraft] = useState<SignaturePolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (policy.data) setDraft({ production_promotion: policy.data.production_promotion, baseline_change: policy.data.baseline_change, threshold_change: policy.data.threshold_change });
  }, [policy.data]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setError(null);
    setSaved(false);
    try {
      await putSignaturePolicy(state.api, draft);
      setSaved(true);
      policy.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section class="card" aria-labelledby="signature-policy-title">
      <h2 id="signature-policy-title">Electronic signature policy</h2>
      <p class="muted">21 CFR Part 11: a change that needs signatures applies once enough distinct signed-in users have signed it with their password.</p>
      <RequestStatus request={policy} what="the signature policy" />
      {error && <ErrorBanner title="Policy not saved" message={error} />}
      {draft && (
        <form onSubmit={save} aria-label="Signature policy">
          <table>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Signatures required</th>
                <th scope="col">Distinct signers</th>
              </tr>
            </thead>
            <tbody>
              {SIGNED_ACTIONS.map((a) => (
                <tr key={a}>
                  <td>{ACTION_LABELS[a]}</td>
                  <td>
                    <label>
                      <input type="checkbox" checked={draft[a].required} onChange={(e) => setDraft({ ...draft, [a]: { ...draft[a], required: (e.currentTarget as HTMLInputElement).checked } })} />
                      <span class="visually-hidden">Require signatures for {ACTION_LABELS[a]}</span>
                    </label>
                  </td>
                  <td>
                    <label>
                      <span class="visually-hidden">Signers needed for {ACTION_LABELS[a]}</span>
                      <input
                        type="number"
                        min={1}
                        max={10}
                        value={draft[a].approvals}
                        disabled={!draft[a].required}
                        onInput={(e) => setDraft({ ...draft, [a]: { ...draft[a], approvals: Number((e.currentTarget as HTMLInputElement).value) } })}
                      />
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="row" style={{ marginTop: "0.6rem" }}>
            <button class="primary" type="submit">
              Save signature policy
            </button>
            {saved && <span role="status">Saved.</span>}
          </div>
        </form>
      )}
    </section>
  );
}
