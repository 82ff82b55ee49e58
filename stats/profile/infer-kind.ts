// Kind inference, as the `vigil drift` CLI does it (docs/cli.md "Which columns, and
// what kind"): numbers are numerical, everything else is categorical.

import type { ColumnKind } from "../drift/types.ts";

/**
 * "numerical" when every present value is a JS number (±Infinity and NaN count as
 * missing), "categorical" when any present value is something else (a string, a
 * boolean). Undefined when the column holds no present value at all.
 */
export function inferKind(values: readonly unknown[]): ColumnKind | undefined {
  let sawNumber = false;
  for (const value of values) {
    if (value === null || value === undefined || value === "") continue;
    if (typeof value === "number") {
      if (Number.isFinite(value)) sawNumber = true;
      continue;
    }
    return "categorical";
  }
  return sawNumber ? "numerical" : undefined;
}
