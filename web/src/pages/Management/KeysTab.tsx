import { useState } from "preact/hooks";
import { describeError } from "../../api/errors.ts";
import { createKey, listKeys, revokeKey, rotateKey, SCOPES, type Scope } from "../../api/keys.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { formatTime } from "../../components/format.ts";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";

/** API keys: create (the key is shown exactly once), list by prefix, revoke. */
export function KeysTab() {
  const state = useAppState();
  const keys = useRequest((s) => listKeys(state.api, s), [state]);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["ingest"]);
  const [model, setModel] = useState("");
  const reg = state.registry.value;
  const modelNames = reg.state === "ready" ? [...new Set(reg.data.map((r) => r.model.name))] : [];
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const { key } = await createKey(state.api, { name: name.trim(), scopes, ...(model ? { model } : {}) });
      setCreated(key);
      setName("");
      keys.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const rotate = async (id: string) => {
    setError(null);
    try {
      const { key } = await rotateKey(state.api, id, 86_400);
      setCreated(key);
      keys.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const revoke = async (id: string) => {
    if (!confirm("Revoke this key? Clients using it stop working within a minute.")) return;
    try {
      await revokeKey(state.api, id);
      keys.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div class="stack">
      {created && (
        <div class="card stack" role="status" aria-live="polite">
          <strong>Copy this key now. It will not be shown again.</strong>
          <code class="secret" data-testid="new-key">
            {created}
          </code>
          <div class="row">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created)}>
              Copy
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              I have stored it
            </button>
          </div>
        </div>
      )}
      {error && <ErrorBanner title="The key change failed" message={error} />}
      <form class="card row" style={{ alignItems: "flex-end" }} onSubmit={submit} aria-label="Create an API key">
        <label>
          Name
          <input value={name} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} placeholder="payments-service" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          <div class="row">
            {SCOPES.map((s) => (
              <label key={s} style={{ flexDirection: "row", alignItems: "center", color: "var(--text)" }}>
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes((e.currentTarget as HTMLInputElement).checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          Limited to model
          <select value={model} onChange={(e) => setModel((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">any model</option>
            {modelNames.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit" disabled={scopes.length === 0}>
          Create key
        </button>
      </form>
      <RequestStatus request={keys} what="API keys" />
      {keys.data && (
        <table class="card">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td class="mono">{k.prefix}…</td>
                <td>{k.scopes.join(", ")}</td>
                <td>{formatTime(k.lastUsedAt)}</td>
                <td>{k.revokedAt ? (Date.parse(k.revokedAt) > Date.now() ? `rotated, works until ${formatTime(k.revokedAt)}` : `revoked ${formatTime(k.revokedAt)}`) : "active"}</td>
                <td>
                  {!k.revokedAt && (
                    <span class="row" style={{ flexWrap: "nowrap" }}>
                      <button type="button" onClick={() => void rotate(k.id)} aria-label={`Rotate ${k.name} (${k.prefix}); the old key works for one more day`}>
                        Rotate
                      </button>
                      <button type="button" class="danger" onClick={() => void revoke(k.id)} aria-label={`Revoke ${k.name} (${k.prefix})`}>
                        Revoke
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
