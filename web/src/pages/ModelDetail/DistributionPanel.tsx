import { useState } from "preact/hooks";
import { CategoryBars } from "../../components/CategoryBars.tsx";
import { HistogramOverlay } from "../../components/HistogramOverlay.tsx";
import type { Distribution, FeatureScore } from "../../state/live-types.ts";
import { severity } from "../../state/status.ts";

/** Reference against current for one feature at a time; starts on the worst-drifting one. */
export function DistributionPanel({ distributions, features }: { distributions: Record<string, Distribution>; features: FeatureScore[] }) {
  const names = Object.keys(distributions);
  const worst = [...features].sort((a, b) => severity(b) - severity(a)).find((f) => f.feature in distributions)?.feature;
  const [chosen, setChosen] = useState<string | null>(null);
  const name = chosen && chosen in distributions ? chosen : (worst ?? names[0]);
  const d = name ? distributions[name] : undefined;
  return (
    <section class="card stack" aria-labelledby="dist-title">
      <div class="row" style={{ justifyContent: "space-between" }}>
        <h2 id="dist-title" style={{ margin: 0 }}>
          Reference vs current
        </h2>
        {names.length > 0 && (
          <label>
            Feature
            <select value={name} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!d || !name ? (
        <p class="muted">Distributions appear once the version has a baseline and traffic in this window.</p>
      ) : d.kind === "numerical" ? (
        <HistogramOverlay feature={name} edges={d.edges} reference={d.reference} current={d.current} />
      ) : (
        <CategoryBars feature={name} categories={d.categories} reference={d.reference} current={d.current} />
      )}
    </section>
  );
}
