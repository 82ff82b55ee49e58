// Number and time formatting shared by the HTML and PDF renderers, so a figure reads the
// same in both. The JSON format never goes through here: it carries full precision.

/** 4 significant digits; scientific below 1e-3 (p-values), integers as they are. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? "-∞" : "NaN";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1e-3) return value.toExponential(2);
  if (abs >= 1e6) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(1)}%`;
}

/** ISO 8601 to the second, UTC: what an auditor compares against logs. */
export function formatTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : `${d.toISOString().slice(0, 19)}Z`;
}

export function formatCell(value: string | number | null): string {
  return typeof value === "number" ? formatNumber(value) : value ?? "—";
}

/** A short axis label for a time: the date when the span is days, else hours and minutes. */
export function timeTick(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  return span > 3 * 86_400_000 ? iso.slice(5, 10) : span > 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** The bounds of a set of values, widened when they are all equal so a chart has height. */
export function valueRange(values: number[], include: number[] = []): [number, number] {
  const all = [...values, ...include].filter(Number.isFinite);
  if (all.length === 0) return [0, 1];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    lo = lo === 0 ? 0 : lo - Math.abs(lo) * 0.1;
    hi = hi === 0 ? 1 : hi + Math.abs(hi) * 0.1;
  }
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  return [lo, hi];
}
