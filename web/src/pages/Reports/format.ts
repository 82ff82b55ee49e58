// How the Reports page writes times and sizes: UTC throughout, as the reports themselves do,
// so what the table says matches what the file says.

/** "2026-12-04 14:16 UTC" */
export const minuteUtc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** "2026-12-04 14:16 → 2026-12-05 14:16 UTC", the date left out of `to` when it is the same day. */
export function formatRange(from: string, to: string): string {
  const a = from.slice(0, 16).replace("T", " ");
  const b = to.slice(0, 16).replace("T", " ");
  return `${a} → ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}

export function formatBytes(n: number | null): string {
  if (n === null) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
