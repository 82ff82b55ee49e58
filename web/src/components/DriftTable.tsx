import { useState } from "preact/hooks";
import type { FeatureScore } from "../state/live-types.ts";
import { severity } from "../state/status.ts";
import { formatScore } from "./format.ts";
import { Sparkline } from "./Sparkline.tsx";
import { StatusBadge } from "./StatusBadge.tsx";

export type DriftSortKey = "severity" | "feature" | "test" | "score";

export function sortFeatures(features: readonly FeatureScore[], key: DriftSortKey, descending: boolean): FeatureScore[] {
  const cmp: Record<DriftSortKey, (a: FeatureScore, b: FeatureScore) => number> = {
    severity: (a, b) => severity(a) - severity(b),
    feature: (a, b) => a.feature.localeCompare(b.feature),
    test: (a, b) => a.test.localeCompare(b.test),
    score: (a, b) => (a.score ?? -Infinity) - (b.score ?? -Infinity),
  };
  const sign = descending ? -1 : 1;
  return [...features].sort((a, b) => sign * cmp[key](a, b) || a.feature.localeCompare(b.feature));
}

const COLUMNS: { key: DriftSortKey; label: string; numeric?: boolean }[] = [
  { key: "feature", label: "Feature" },
  { key: "test", label: "Test" },
  { key: "score", label: "Score", numeric: true },
];

/**
 * Per-feature drift for one window, worst first; each sortable header is a button.
 * `pii` maps a feature tagged PII in the schema to its tag, shown beside the name.
 */
export function DriftTable({ features, trends, caption, pii = {} }: { features: readonly FeatureScore[]; trends: Record<string, number[]>; caption: string; pii?: Readonly<Record<string, string>> }) {
  const [sort, setSort] = useState<{ key: DriftSortKey; desc: boolean }>({ key: "severity", desc: true });
  const rows = sortFeatures(features, sort.key, sort.desc);
  const header = (key: DriftSortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th key={key} class={numeric ? "num" : undefined} aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"} scope="col">
        <button type="button" onClick={() => setSort({ key, desc: active ? !sort.desc : key === "severity" || key === "score" })}>
          {label}
          {active ? (sort.desc ? " ▼" : " ▲") : ""}
        </button>
      </th>
    );
  };
  return (
    <table data-testid="drift-table">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => header(c.key, c.label, c.numeric))}
          <th class="num" scope="col">
            Threshold
          </th>
          {header("severity", "Drift")}
          <th scope="col">Trend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => (
          <tr key={f.feature}>
            <th scope="row" style={{ color: "var(--text)", fontWeight: 500, fontSize: "14px" }}>
              {f.feature} <span class="muted">{f.kind}</span>
              {pii[f.feature] !== undefined && <PiiTag tag={pii[f.feature]!} />}
            </th>
            <td class="mono">{f.test}</td>
            <td class="num">{formatScore(f.score)}</td>
            <td class="num muted">
              {f.threshold === null ? "—" : `${f.direction === "p_value" ? "<" : ">"} ${formatScore(f.threshold)}`}
            </td>
            <td>{f.score === null ? <StatusBadge status="no_data" /> : f.drifted ? <StatusBadge status="drifting" label="Drifted" /> : <StatusBadge status="healthy" label="Stable" />}</td>
            <td>
              <Sparkline values={trends[f.feature] ?? []} label={`${f.feature} ${f.test} trend`} width={100} height={22} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The schema's PII tag: the values are pseudonymised (categorical) or only counted into sketches (numerical). */
export function PiiTag({ tag }: { tag: string }) {
  return (
    <span class="badge" data-testid="pii-tag" title={`Tagged PII (${tag}): stored only as a keyed pseudonym or inside sketches, never raw`} style={{ marginLeft: "0.4rem", fontSize: "11px" }}>
      PII · {tag}
    </span>
  );
}
