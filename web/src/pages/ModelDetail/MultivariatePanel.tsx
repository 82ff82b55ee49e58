import { formatCount, formatScore } from "../../components/format.ts";
import type { Multivariate } from "../../state/live-types.ts";

const REFERENCE_TEXT: Record<Multivariate["reference"], string> = {
  first_events: "the frozen first events",
  upload: "the uploaded baseline's rows",
  after_baseline: "the first rows after the baseline was set (it came without rows)",
};

/**
 * Whether the features drift together (a flipped correlation leaves every single feature
 * unchanged): the domain classifier's AUC with the features that tell the sets apart, and
 * the reconstruction error against its band. Recomputed by the monitor every 30 s.
 */
export function MultivariatePanel({ multivariate }: { multivariate: Multivariate | null | undefined }) {
  return (
    <section class="card" aria-labelledby="multivariate-title">
      <h2 id="multivariate-title">Features together</h2>
      {!multivariate ? (
        <p class="muted">Computed once the baseline's rows and the recent traffic each hold 200 rows.</p>
      ) : (
        <>
          <dl class="pairs" data-testid="multivariate">
            <dt>Domain classifier AUC</dt>
            <dd>
              {formatScore(multivariate.classifier.auc)} ({formatScore(multivariate.classifier.low)}–{formatScore(multivariate.classifier.high)}) ·{" "}
              <strong class={multivariate.classifier.drifted ? "warn" : ""}>{multivariate.classifier.drifted ? "drifted" : "no drift"}</strong>
            </dd>
            <dt>Moving together</dt>
            <dd>
              {multivariate.classifier.topFeatures.length === 0
                ? "—"
                : multivariate.classifier.topFeatures.map((f) => `${f.feature} ${Math.round(f.importance * 100)}%`).join(", ")}
            </dd>
            <dt>Reconstruction error</dt>
            <dd>
              {formatScore(multivariate.reconstruction.error)} (expected {formatScore(multivariate.reconstruction.lower)}–{formatScore(multivariate.reconstruction.upper)}) ·{" "}
              <strong class={multivariate.reconstruction.drifted ? "warn" : ""}>{multivariate.reconstruction.drifted ? "drifted" : "no drift"}</strong>
            </dd>
          </dl>
          <p class="muted">
            {formatCount(multivariate.rows.current)} recent rows against {formatCount(multivariate.rows.reference)} rows of {REFERENCE_TEXT[multivariate.reference]}; computed{" "}
            {new Date(multivariate.computedAt).toLocaleTimeString()}.
          </p>
        </>
      )}
    </section>
  );
}
