// How one raw cell becomes a numerical or categorical observation. Shared by the
// profile builder and the live windows so that the reference and the traffic are
// cleaned the same way (docs/drift-tests.md "Cleaning": ±Infinity counts as
// missing, missing values are dropped, an empty field is missing).

/** Why a cell was not a usable observation. */
export type Rejection = "missing" | "non_finite" | "type_violation";

/**
 * The finite number a cell holds, or NaN when it holds none. Numeric strings (as a
 * CSV reader may leave them) count as numbers. The fast path is a single typeof check,
 * because live windows call this once per value.
 */
export function toFiniteNumber(raw: unknown): number {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : Number.NaN;
  if (typeof raw === "string") {
    const trimmed = raw.trim();
    if (trimmed === "") return Number.NaN;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : Number.NaN;
  }
  return Number.NaN;
}

/** Why `toFiniteNumber(raw)` returned NaN; only meaningful when it did. */
export function numericRejection(raw: unknown): Rejection {
  if (raw === null || raw === undefined) return "missing";
  if (typeof raw === "number") return Number.isNaN(raw) ? "missing" : "non_finite";
  if (typeof raw === "string") {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed === "NaN") return "missing";
    const parsed = Number(trimmed);
    return parsed === Infinity || parsed === -Infinity ? "non_finite" : "type_violation";
  }
  return "type_violation";
}

/**
 * The category label of a cell, or undefined when it has none. Numbers and booleans
 * become their string form, so `3` and `"3"` are the same category.
 */
export function toCategory(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw === "" ? undefined : raw;
  if (typeof raw === "number") return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw === "boolean") return raw ? "true" : "false";
  return undefined;
}

/** Why `toCategory(raw)` returned undefined. */
export function categoryRejection(raw: unknown): Rejection {
  if (raw === null || raw === undefined || raw === "") return "missing";
  if (typeof raw === "number") return Number.isNaN(raw) ? "missing" : "non_finite";
  return "type_violation";
}
