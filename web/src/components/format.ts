/** Numbers the way a person reads them: p-values in scientific notation when tiny, otherwise 3 significant digits. */
export function formatScore(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "—";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 0.001) return v.toExponential(1);
  if (a >= 1000) return v.toFixed(0);
  const text = v.toPrecision(3);
  // Trim "0.500" to "0.5", but never the zeros of an integer ("600").
  return text.includes(".") && !text.includes("e") ? text.replace(/\.?0+$/, "") : String(Number(text));
}

export function formatMs(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "—" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

export function formatPercent(v: number | null, digits = 1): string {
  return v === null || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(digits)}%`;
}

export function formatTime(iso: string | number | null): string {
  if (iso === null || iso === "") return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}
