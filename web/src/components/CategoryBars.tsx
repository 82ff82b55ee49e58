import { formatPercent } from "./format.ts";

export interface CategoryBarsProps {
  feature: string;
  categories: string[];
  reference: number[];
  current: number[];
  limit?: number;
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Reference and current share per category, biggest change first, as paired bars. */
export function CategoryBars({ feature, categories, reference, current, limit = 8 }: CategoryBarsProps) {
  const ref = shares(reference);
  const cur = shares(current);
  const rows = categories
    .map((name, i) => ({ name, ref: ref[i] ?? 0, cur: cur[i] ?? 0 }))
    .sort((a, b) => Math.abs(b.cur - b.ref) - Math.abs(a.cur - a.ref))
    .slice(0, limit);
  const max = Math.max(0.0001, ...rows.flatMap((r) => [r.ref, r.cur]));
  return (
    <table aria-label={`${feature}: reference versus current share per category`} style={{ fontSize: "12.5px" }}>
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Reference vs current</th>
          <th scope="col" class="num">
            Change
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row" style={{ fontWeight: 500, color: "var(--text)" }}>
              {r.name}
            </th>
            <td style={{ width: "55%" }}>
              <div title={`reference ${formatPercent(r.ref)}`} style={{ height: "6px", width: `${(r.ref / max) * 100}%`, background: "var(--chart-1)", opacity: 0.5, borderRadius: "3px" }} />
              <div title={`current ${formatPercent(r.cur)}`} style={{ height: "6px", marginTop: "2px", width: `${(r.cur / max) * 100}%`, background: "var(--chart-2)", borderRadius: "3px" }} />
            </td>
            <td class="num">
              {r.cur >= r.ref ? "+" : ""}
              {formatPercent(r.cur - r.ref)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
