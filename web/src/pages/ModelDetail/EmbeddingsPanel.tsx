import type { EmbeddingDriftView } from "../../../../durable/protocol.ts";
import { formatCount, formatScore } from "../../components/format.ts";

const REFERENCE_TEXT: Record<EmbeddingDriftView["reference"], string> = {
  first_events: "the frozen first events",
  after_baseline: "the first vectors after the baseline was set",
};

/**
 * Drift of each embedding feature: the domain classifier's AUC (the verdict), the distance
 * between mean vectors against its bootstrap threshold, and the share of components that
 * drift. Shown when the schema has embedding features; recomputed by the monitor every 30 s.
 */
export function EmbeddingsPanel({ features, embeddings }: { features: readonly string[]; embeddings: readonly EmbeddingDriftView[] }) {
  if (features.length === 0 && embeddings.length === 0) return null;
  const byName = new Map(embeddings.map((e) => [e.feature, e]));
  const names = [...new Set([...features, ...embeddings.map((e) => e.feature)])];
  return (
    <section class="card" aria-labelledby="embeddings-title">
      <h2 id="embeddings-title">Embeddings</h2>
      <table data-testid="embeddings">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" class="num">Classifier AUC</th>
            <th scope="col" class="num">Mean distance</th>
            <th scope="col" class="num">Drifted components</th>
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const e = byName.get(name);
            if (!e) {
              return (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td colSpan={4} class="muted">
                    Computed once the baseline's vectors and the recent traffic each hold 200.
                  </td>
                </tr>
              );
            }
            const [low, high] = e.methods.model.ci95;
            return (
              <tr key={name}>
                <th scope="row">
                  {name} <span class="muted">{e.dimension} → {e.components}</span>
                </th>
                <td class="num">
                  {formatScore(e.methods.model.score)} ({formatScore(low ?? e.methods.model.score)}–{formatScore(high ?? e.methods.model.score)})
                </td>
                <td class="num">
                  {formatScore(e.methods.distance.score)} <span class="muted">&gt; {formatScore(e.methods.distance.threshold)}</span>
                </td>
                <td class="num">{Math.round(e.methods.ratio.score * 100)}%</td>
                <td>
                  <strong class={e.drifted ? "warn" : ""}>{e.drifted ? "drifted" : "no drift"}</strong>
                  <div class="muted" style={{ fontSize: "12px" }}>
                    {formatCount(e.rows.current)} recent vs {formatCount(e.rows.reference)} of {REFERENCE_TEXT[e.reference]}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
