// Reference category frequencies, capped: the most frequent categories keep their own
// count and the rest are pooled into one "__other__" cell, so a profile (and every
// live window built from it) has a bounded number of cells.

export const OTHER_CATEGORY = "__other__";
export const DEFAULT_MAX_CATEGORIES = 1000;

export interface CategoryFrequencies {
  /** Kept categories, most frequent first (ties in code-point order). */
  values: string[];
  counts: number[];
  /** Count pooled into "__other__" (0 when every category was kept). */
  other_count: number;
  /** Distinct categories seen in the reference, kept or not. */
  distinct: number;
}

export function topCategories(labels: Iterable<string>, maxCategories = DEFAULT_MAX_CATEGORIES): CategoryFrequencies {
  if (!Number.isInteger(maxCategories) || maxCategories < 1) {
    throw new Error(`maxCategories must be an integer >= 1: ${maxCategories}`);
  }
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, maxCategories);
  let other = 0;
  for (let i = maxCategories; i < ranked.length; i++) other += (ranked[i] as [string, number])[1];
  return {
    values: kept.map(([label]) => label),
    counts: kept.map(([, count]) => count),
    other_count: other,
    distinct: counts.size,
  };
}
