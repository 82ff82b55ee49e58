import { useState } from "preact/hooks";
import { describeError } from "../../api/errors.ts";
import { createModel, createVersion } from "../../api/registry.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { loadRegistry } from "../../state/actions.ts";
import { useAppState } from "../../state/app-state.ts";

const STAGES = ["development", "staging", "production"];

/** Register a model, then a version of it. Ingest can also register on first use. */
export function ModelsTab() {
  const state = useAppState();
  const [model, setModel] = useState({ name: "", prediction_kind: "binary", description: "" });
  const [version, setVersion] = useState({ model: "", version: "", stage: "development" });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const reg = state.registry.value;
  const names = reg.state === "ready" ? [...new Set(reg.data.map((r) => r.model.name))] : [];

  const run = async (what: string, call: () => Promise<unknown>) => {
    setError(null);
    setDone(null);
    try {
      await call();
      setDone(what);
      void loadRegistry(state);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div class="stack">
      {error && <ErrorBanner title="Not saved" message={error} />}
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <div class="grid-2">
        <form
          class="card stack"
          aria-label="Register a model"
          onSubmit={(e) => {
            e.preventDefault();
            void run(`Model ${model.name} registered.`, () => createModel(state.api, { ...model, name: model.name.trim() }));
          }}
        >
          <h2>Register a model</h2>
          <label>
            Name (as sent in ingest)
            <input required pattern="[^:/]+" value={model.name} onInput={(e) => setModel({ ...model, name: val(e) })} placeholder="credit-risk" />
          </label>
          <label>
            Prediction kind
            <select value={model.prediction_kind} onChange={(e) => setModel({ ...model, prediction_kind: val(e) })}>
              <option value="binary">binary classification</option>
              <option value="multiclass">multiclass classification</option>
              <option value="regression">regression</option>
            </select>
          </label>
          <label>
            Description
            <textarea rows={2} value={model.description} onInput={(e) => setModel({ ...model, description: val(e) })} />
          </label>
          <div>
            <button class="primary" type="submit">
              Register model
            </button>
          </div>
        </form>
        <form
          class="card stack"
          aria-label="Register a version"
          onSubmit={(e) => {
            e.preventDefault();
            void run(`Version ${version.version} of ${version.model} registered.`, () =>
              createVersion(state.api, version.model.trim(), { version: version.version.trim(), stage: version.stage }),
            );
          }}
        >
          <h2>Register a version</h2>
          <label>
            Model
            <input required list="model-names" value={version.model} onInput={(e) => setVersion({ ...version, model: val(e) })} />
            <datalist id="model-names">
              {names.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </label>
          <label>
            Version
            <input required value={version.version} onInput={(e) => setVersion({ ...version, version: val(e) })} placeholder="v4" />
          </label>
          <label>
            Stage
            <select value={version.stage} onChange={(e) => setVersion({ ...version, stage: val(e) })}>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <div>
            <button class="primary" type="submit">
              Register version
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
