import { formatPercent } from "../../components/format.ts";
import type { QualityRow, UnknownFeature } from "../../state/live-types.ts";

/**
 * Missing values (and, of those, absent keys), out-of-range numbers, unseen categories
 * and wrong types per feature, as rates; then keys events sent that the baseline lacks.
 */
export function QualityPanel({ rows, unknown = [] }: { rows: QualityRow[]; unknown?: UnknownFeature[] }) {
  const sorted = [...rows].sort((a, b) => (b.missingRate ?? 0) - (a.missingRate ?? 0) || a.feature.localeCompare(b.feature));
  return (
    <section class="card" aria-labelledby="quality-title">
      <h2 id="quality-title">Data quality</h2>
      {sorted.length === 0 ? (
        <p class="muted">No data-quality figures in this window yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col" class="num">
                Missing
              </th>
              <th scope="col" class="num">
                Out of range
              </th>
              <th scope="col" class="num">
                New categories
              </th>
              <th scope="col" class="num">
                Type errors
              </th>
              <th scope="col" class="num" title="Events whose record lacked the key entirely (part of missing)">
                Key absent
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.feature}>
                <th scope="row" style={{ color: "var(--text)", fontWeight: 500 }}>
                  {r.feature}
                </th>
                <td class="num" style={{ color: (r.missingRate ?? 0) > 0.05 ? "var(--bad)" : undefined }}>
                  {formatPercent(r.missingRate)}
                </td>
                <td class="num">{formatPercent(r.outOfRangeRate)}</td>
                <td class="num">{formatPercent(r.newCategoryRate)}</td>
                <td class="num">{formatPercent(r.typeViolationRate)}</td>
                <td class="num" style={{ color: (r.absentRate ?? 0) > 0.01 ? "var(--bad)" : undefined }}>
                  {formatPercent(r.absentRate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unknown.length > 0 && (
        <p data-testid="unknown-features">
          Features the baseline does not know:{" "}
          {unknown.map((u, i) => (
            <span key={u.key}>
              {i > 0 && ", "}
              <code>{u.key}</code> ({formatPercent(u.rate)} of events)
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
