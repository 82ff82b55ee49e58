// The distributions the HTML report draws per column, reference against current, as
// shares: a numerical column in 20 equal-width bins over the range both sides span, a
// categorical one as its 20 most frequent labels (both sides together) plus "other".

import type { ColumnKind, RawColumn } from "../stats/drift/types.ts";

const NUMERICAL_BINS = 20;
const TOP_CATEGORIES = 20;

export type ColumnPlot =
  | { column: string; kind: "numerical"; edges: number[]; reference: number[]; current: number[] }
  | { column: string; kind: "categorical"; categories: string[]; reference: number[]; current: number[] };

function finite(values: RawColumn): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const x = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
    if (Number.isFinite(x)) out.push(x);
  }
  return out;
}

function labels(values: RawColumn): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined || value === "" || (typeof value === "number" && !Number.isFinite(value))) continue;
    out.push(String(value));
  }
  return out;
}

const shares = (counts: number[]) => {
  const total = counts.reduce((sum, c) => sum + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

export function columnPlot(column: string, kind: ColumnKind, reference: RawColumn, current: RawColumn): ColumnPlot {
  if (kind === "numerical") {
    const ref = finite(reference);
    const cur = finite(current);
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const side of [ref, cur]) for (const x of side) (low = Math.min(low, x)), (high = Math.max(high, x));
    if (!(high > low)) high = low + 1; // one value (or none): one visible bin
    const width = (high - low) / NUMERICAL_BINS;
    const count = (side: number[]) => {
      const bins = new Array<number>(NUMERICAL_BINS).fill(0);
      for (const x of side) bins[Math.min(NUMERICAL_BINS - 1, Math.floor((x - low) / width))]!++;
      return shares(bins);
    };
    return { column, kind, edges: Array.from({ length: NUMERICAL_BINS + 1 }, (_, i) => low + i * width), reference: count(ref), current: count(cur) };
  }
  const ref = labels(reference);
  const cur = labels(current);
  const totals = new Map<string, number>();
  for (const side of [ref, cur]) for (const label of side) totals.set(label, (totals.get(label) ?? 0) + 1);
  const top = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_CATEGORIES).map(([label]) => label);
  const position = new Map(top.map((label, i) => [label, i]));
  const other = totals.size > top.length;
  const count = (side: string[]) => {
    const cells = new Array<number>(top.length + (other ? 1 : 0)).fill(0);
    for (const label of side) cells[position.get(label) ?? top.length]!++;
    return shares(cells);
  };
  return { column, kind, categories: other ? [...top, "(other)"] : top, reference: count(ref), current: count(cur) };
}
