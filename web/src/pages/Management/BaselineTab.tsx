import { useState } from "preact/hooks";
import { describeError, isMissingRoute } from "../../api/errors.ts";
import { uploadBaseline } from "../../api/registry.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { useAppState } from "../../state/app-state.ts";

/** Upload a reference dataset (CSV, JSON Lines or JSON) as a version's baseline, with progress. */
export function BaselineTab() {
  const state = useAppState();
  const reg = state.registry.value;
  const rows = reg.state === "ready" ? reg.data : [];
  const [target, setTarget] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const at = target.indexOf(":");
    if (!file || at < 0) return;
    const model = target.slice(0, at);
    const version = target.slice(at + 1);
    setError(null);
    setDone(null);
    setProgress(0);
    try {
      const where = await uploadBaseline(state.api, model, version, file, setProgress);
      setDone(
        where === "monitor"
          ? `Baseline for ${model} ${version} uploaded from ${file.name}. Drift is scored against it from the next update.`
          : `Baseline for ${model} ${version} uploaded from ${file.name} and stored in the registry as the active baseline.`,
      );
    } catch (err) {
      setError(
        isMissingRoute(err)
          ? "This server cannot take a raw dataset as a baseline yet. Upload a reference profile (JSON with \"format\": \"vigil.profile\") instead, or let Vigil freeze the first events it receives."
          : describeError(err),
      );
      setProgress(null);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} aria-label="Upload a baseline" style={{ maxWidth: "40rem" }}>
      <h2>Upload a baseline</h2>
      <p class="muted">
        A reference dataset (one row per prediction, one column per feature: CSV with a header, JSON Lines, or a JSON array), or a
        reference profile (<code>vigil.profile</code> JSON). Without one, Vigil freezes the first events it sees as the baseline.
      </p>
      {error && <ErrorBanner title="Upload failed" message={error} />}
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <label>
        Model version
        <select required value={target} onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">Choose…</option>
          {rows.map((r) => (
            <option key={`${r.model.name}:${r.version.version}`} value={`${r.model.name}:${r.version.version}`}>
              {r.model.name} {r.version.version} ({r.version.stage})
            </option>
          ))}
        </select>
      </label>
      <label>
        Reference file
        <input type="file" required accept=".csv,.jsonl,.ndjson,.json" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
      </label>
      {progress !== null && (
        <label>
          Upload progress
          <progress class="progress" max={1} value={progress} aria-valuetext={`${Math.round(progress * 100)}%`} />
        </label>
      )}
      <div>
        <button class="primary" type="submit" disabled={!file || !target || (progress !== null && progress < 1 && !error && !done)}>
          Upload baseline
        </button>
      </div>
    </form>
  );
}
