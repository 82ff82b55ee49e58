import { useEffect, useState } from "preact/hooks";
import {
  getRetention, MODEL_RETENTION_FIELDS, putModelRetention, putRetention, RETENTION_FIELDS, RETENTION_LABELS, runRetention, type ModelRetentionField, type Retention,
} from "../../../api/compliance.ts";
import { describeError } from "../../../api/errors.ts";
import { useRequest } from "../../../api/use-request.ts";
import { ErrorBanner } from "../../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../../components/RequestStatus.tsx";
import { useAppState } from "../../../state/app-state.ts";

/**
 * How long each store keeps data (whole days, 1 to 3,650; the audit log at least 365 unless
 * an instance admin lowers it, which the server enforces and names), per-model overrides,
 * and a run on demand showing what it removed per store.
 */
export function RetentionPanel() {
  const state = useAppState();
  const retention = useRequest((s) => getRetention(state.api, s), [state]);
  const [draft, setDraft] = useState<Retention | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [removed, setRemoved] = useState<Record<string, number> | null>(null);
  useEffect(() => {
    if (retention.data) setDraft(retention.data);
  }, [retention.data]);

  const act = async (what: () => Promise<void>) => {
    setError(null);
    setStatus(null);
    try {
      await what();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section class="card" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p class="muted">Enforced daily and on demand; each run is audited. Raw events never take aggregates younger than their own retention with them.</p>
      <RequestStatus request={retention} what="retention settings" />
      {error && <ErrorBanner title="Retention" message={error} />}
      {draft && (
        <form
          aria-label="Retention settings"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              setDraft(await putRetention(state.api, draft));
              setStatus("Retention saved.");
            });
          }}
        >
          <div class="row" style={{ alignItems: "flex-end" }}>
            {RETENTION_FIELDS.map((f) => (
              <label key={f}>
                {RETENTION_LABELS[f]} (days)
                <input type="number" min={1} max={3650} step={1} required value={draft[f]} onInput={(e) => setDraft({ ...draft, [f]: Number((e.currentTarget as HTMLInputElement).value) })} />
              </label>
            ))}
          </div>
          <div class="row" style={{ marginTop: "0.6rem" }}>
            <button class="primary" type="submit">
              Save retention
            </button>
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  setRemoved((await runRetention(state.api)).removed);
                  setStatus("Retention ran.");
                })
              }
            >
              Run retention now
            </button>
            {status && <span role="status">{status}</span>}
          </div>
        </form>
      )}
      {removed && (
        <table aria-label="Removed by the last run" style={{ marginTop: "0.6rem" }}>
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col">Removed</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(removed).map(([store, n]) => (
              <tr key={store}>
                <td>{store}</td>
                <td>{n.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft && <ModelOverride onError={setError} />}
    </section>
  );
}

function ModelOverride({ onError }: { onError: (m: string | null) => void }) {
  const state = useAppState();
  const reg = state.registry.value;
  const models = reg.state === "ready" ? [...new Set(reg.data.map((r) => r.model.name))] : [];
  const [model, setModel] = useState("");
  const [days, setDays] = useState<Partial<Record<ModelRetentionField, string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  if (models.length === 0) return null;
  const chosen = model || models[0]!;
  return (
    <form
      class="stack"
      style={{ marginTop: "1rem", gap: "0.5rem" }}
      aria-label="Model retention override"
      onSubmit={(e) => {
        e.preventDefault();
        onError(null);
        setSaved(null);
        const body = Object.fromEntries(MODEL_RETENTION_FIELDS.map((f) => [f, days[f]?.trim() ? Number(days[f]) : null]));
        putModelRetention(state.api, chosen, body)
          .then(() => setSaved(`Override saved for ${chosen}.`))
          .catch((err: unknown) => onError(describeError(err)));
      }}
    >
      <h3>Override for one model</h3>
      <p class="muted">Leave a field empty to use the org's value.</p>
      <div class="row" style={{ alignItems: "flex-end" }}>
        <label>
          Model
          <select value={chosen} onChange={(e) => setModel((e.currentTarget as HTMLSelectElement).value)}>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {MODEL_RETENTION_FIELDS.map((f) => (
          <label key={f}>
            {RETENTION_LABELS[f]} (days)
            <input type="number" min={1} max={3650} step={1} value={days[f] ?? ""} onInput={(e) => setDays({ ...days, [f]: (e.currentTarget as HTMLInputElement).value })} />
          </label>
        ))}
        <button type="submit">Save override</button>
        {saved && <span role="status">{saved}</span>}
      </div>
    </form>
  );
}
