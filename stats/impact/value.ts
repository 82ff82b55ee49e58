// What a model's predictions are worth: cost-sensitive evaluation (Elkan 2001, "The
// Foundations of Cost-Sensitive Learning", IJCAI) with a value per outcome instead of a
// cost, so gains are positive and losses negative.
//
//   classification:  V = Σ_{a,p} N(a, p) · v(a, p)      N: the confusion matrix of joined
//                    labels (actual a, predicted p), v: the value matrix
//   binary:          v(pos,pos) = tp, v(neg,pos) = fp, v(pos,neg) = fn, v(neg,neg) = tn
//   regression:      with e = predicted − actual,
//                    V = over · Σ_{e>0} e + under · Σ_{e<0} |e|   (per_unit: over = under)
//                    and from the mergeable sums Σ|e| and Σe:  Σ_{e>0} e = (Σ|e| + Σe)/2,
//                    Σ_{e<0} |e| = (Σ|e| − Σe)/2, so windows merge exactly.
// Per prediction: V / labelled predictions that were valued. Against the baseline: the same
// labelled volume at the baseline's value per prediction, V − n·(V_ref / n_ref).
export type ValueMatrix =
  | { kind: "binary"; currency: string; tp: number; fp: number; fn: number; tn: number; positive_label?: string }
  | { kind: "multiclass"; currency: string; matrix: Record<string, Record<string, number>> }
  | { kind: "regression"; currency: string; under: number; over: number };

/** The joined labels a value is computed from (mergeable sums). */
export interface LabelledOutcomes {
  /** [actual, predicted, count] per non-zero cell of the confusion matrix. */
  cells?: readonly (readonly [string, string, number])[];
  /** Regression: number of pairs, Σ|e| and Σe with e = predicted − actual. */
  regression?: { n: number; sumAbs: number; sumErr: number };
}

export interface Value {
  total: number;
  /** total / labeled; null without labelled predictions. */
  per_prediction: number | null;
  /** Labelled predictions the matrix valued. */
  labeled: number;
  currency: string;
  /** Labelled predictions whose (actual, predicted) pair the matrix has no cell for. */
  unvalued: number;
}

/** The positive class of a binary matrix: its own, else "1" or "true" when those labels occur. */
function positiveLabel(matrix: Extract<ValueMatrix, { kind: "binary" }>, cells: readonly (readonly [string, string, number])[]): string {
  if (matrix.positive_label !== undefined) return matrix.positive_label;
  return cells.some(([a, p]) => a === "true" || p === "true") ? "true" : "1";
}

/** The value of the labelled outcomes under the matrix. */
export function valueOf(matrix: ValueMatrix, outcomes: LabelledOutcomes): Value {
  let total = 0;
  let labeled = 0;
  let unvalued = 0;
  if (matrix.kind === "regression") {
    const r = outcomes.regression;
    if (r && r.n > 0) {
      const over = (r.sumAbs + r.sumErr) / 2;
      const under = (r.sumAbs - r.sumErr) / 2;
      total = matrix.over * Math.max(0, over) + matrix.under * Math.max(0, under);
      labeled = r.n;
    }
  } else {
    const cells = outcomes.cells ?? [];
    const positive = matrix.kind === "binary" ? positiveLabel(matrix, cells) : "";
    for (const [actual, predicted, count] of cells) {
      let v: number | undefined;
      if (matrix.kind === "binary") {
        const a = actual === positive;
        const p = predicted === positive;
        v = a ? (p ? matrix.tp : matrix.fn) : p ? matrix.fp : matrix.tn;
      } else {
        v = Object.hasOwn(matrix.matrix, actual) && Object.hasOwn(matrix.matrix[actual] as object, predicted) ? (matrix.matrix[actual] as Record<string, number>)[predicted] : undefined;
      }
      if (v === undefined) {
        unvalued += count;
        continue;
      }
      total += count * v;
      labeled += count;
    }
  }
  return { total, per_prediction: labeled > 0 ? total / labeled : null, labeled, currency: matrix.currency, unvalued };
}

/** V − n·(V_ref/n_ref): what this window's labelled volume gained over the baseline's value per prediction; null without both. */
export function valueVsBaseline(value: Value, reference: Value | null): number | null {
  if (reference === null || reference.per_prediction === null || value.labeled === 0) return null;
  return value.total - value.labeled * reference.per_prediction;
}

/**
 * Labels a multiclass matrix leaves out: every actual row must value every predicted
 * label of the matrix's label set (rows and columns together). Returns the missing
 * "actual → predicted" cells, empty when the matrix is square.
 */
export function missingCells(matrix: Record<string, Record<string, number>>): string[] {
  const labels = new Set<string>(Object.keys(matrix));
  for (const row of Object.values(matrix)) for (const p of Object.keys(row)) labels.add(p);
  const missing: string[] = [];
  for (const a of [...labels].sort()) {
    for (const p of [...labels].sort()) if (!Object.hasOwn(matrix, a) || !Object.hasOwn(matrix[a] as object, p)) missing.push(`${a} → ${p}`);
  }
  return missing;
}

/** The label set of a multiclass matrix, sorted. */
export function matrixLabels(matrix: Record<string, Record<string, number>>): string[] {
  const labels = new Set<string>(Object.keys(matrix));
  for (const row of Object.values(matrix)) for (const p of Object.keys(row)) labels.add(p);
  return [...labels].sort();
}
