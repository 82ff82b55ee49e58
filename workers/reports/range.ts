// The time range of a report request: `from` before `to`, `to` not in the future, no
// longer than the kind allows, and not reaching past what retention kept. Each refusal
// names the field; 400 for a malformed range, 422 for one that is well-formed but
// cannot be reported on (too long, or past retention).
import { ApiError } from "../errors.ts";
import type { ReportKind } from "./document.ts";
import { CLOCK_SKEW_MS, MAX_RANGE_DAYS } from "./request.ts";

const DAY_MS = 86_400_000;

export interface ReportRange {
  from: Date;
  to: Date;
}

export function checkRange(kind: ReportKind, fromText: string, toText: string, now: number): ReportRange {
  const from = Date.parse(fromText);
  const to = Date.parse(toText);
  if (!(to > from)) {
    const error = to === from ? "must be after from (the range is empty)" : "is before from";
    throw new ApiError(400, "validation_failed", `to: ${error}`, [{ field: "to", error }]);
  }
  if (to > now + CLOCK_SKEW_MS) {
    const error = `is in the future (the server's clock reads ${new Date(now).toISOString()})`;
    throw new ApiError(400, "validation_failed", `to: ${error}`, [{ field: "to", error }]);
  }
  const maxDays = MAX_RANGE_DAYS[kind];
  if (to - from > maxDays * DAY_MS) {
    const days = ((to - from) / DAY_MS).toFixed(1);
    const error = `the range spans ${days} days; a ${kind} report covers at most ${maxDays} days: split it into several reports`;
    throw new ApiError(422, "range_too_large", `from: ${error}`, [{ field: "from", error }]);
  }
  return { from: new Date(from), to: new Date(to) };
}

/** 422 when `from` lies before what a store still keeps (`oldest`), naming the store. */
export function requireRetained(range: ReportRange, oldest: Date, store: string): void {
  if (range.from < oldest) {
    const error = `is before ${oldest.toISOString()}, the oldest ${store} retention kept; start the report there or later`;
    throw new ApiError(422, "range_out_of_retention", `from: ${error}`, [{ field: "from", error }]);
  }
}
