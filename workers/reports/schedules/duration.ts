// The `range` of a report schedule: an ISO 8601 duration in whole weeks, days and hours.
// Months and years are refused (their length varies, so "the last month" would be a
// different window each run); minutes and seconds too (history is kept by the hour).

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?)?$/;

/** Hours in `text`, or the reason it is not a duration this API takes. */
export function parseRange(text: string): { hours: number } | { error: string } {
  const m = PATTERN.exec(text);
  if (!m || text === "P" || text.endsWith("T")) {
    if (/^P.*[YM]/.test(text.replace(/T.*$/, "")) || /T.*M|S$/.test(text)) return { error: "use weeks, days or hours (e.g. P30D, PT6H): months, years, minutes and seconds are not accepted" };
    return { error: 'is not an ISO 8601 duration such as "P1D", "P7D" or "PT6H"' };
  }
  const hours = Number(m[1] ?? 0) * 168 + Number(m[2] ?? 0) * 24 + Number(m[3] ?? 0);
  if (hours < 1) return { error: "must be at least one hour" };
  return { hours };
}

/** The canonical text of `hours`: days when whole, else days and hours. */
export function formatRange(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return `P${days > 0 ? `${days}D` : ""}${rest > 0 ? `T${rest}H` : ""}`;
}
