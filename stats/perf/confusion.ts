// Streaming confusion matrix for binary and multiclass classification, with the
// derived metrics of sklearn.metrics (accuracy_score, precision_recall_fscore_support,
// classification_report):
//   precision_c = TP_c/(TP_c+FP_c),  recall_c = TP_c/(TP_c+FN_c),  F1_c = 2PR/(P+R)
//   macro = unweighted mean over classes; weighted = mean weighted by support (true count);
//   micro = from ΣTP, ΣFP, ΣFN (equals accuracy for single-label multiclass).
// A 0/0 ratio is reported as 0, sklearn's zero_division=0. Classes are the union of
// actual and predicted labels, sorted, as sklearn's unique_labels. Merging adds cells.
import { readCount, readObject } from "./json-fields.ts";

export const CONFUSION_VERSION = 1;
const WHAT = "confusion matrix";

export type Label = string | number | boolean;

export interface ClassMetrics {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Number of events whose actual label is this class. */
  support: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  perClass: Record<string, ClassMetrics>;
  macro: Averages;
  micro: Averages;
  weighted: Averages;
}

export interface ConfusionJSON {
  version: number;
  /** [actual, predicted, count] for every non-zero cell. */
  cells: [string, string, number][];
}

export class ConfusionMatrix {
  readonly #cells = new Map<string, Map<string, number>>();
  #n = 0;

  get n(): number { return this.#n; }

  update(actual: Label, predicted: Label, weight = 1): void {
    if (!Number.isSafeInteger(weight) || weight < 1) throw new Error(`${WHAT}: weight must be a positive integer: ${weight}`);
    this.#add(String(actual), String(predicted), weight);
  }

  merge(other: ConfusionMatrix): void {
    for (const [a, p, c] of other.#cellList()) this.#add(a, p, c);
  }

  count(actual: Label, predicted: Label): number {
    return this.#cells.get(String(actual))?.get(String(predicted)) ?? 0;
  }

  labels(): string[] {
    const set = new Set<string>();
    for (const [a, row] of this.#cells) {
      set.add(a);
      for (const p of row.keys()) set.add(p);
    }
    return [...set].sort();
  }

  /** NaN when empty. */
  accuracy(): number {
    if (this.#n === 0) return Number.NaN;
    let correct = 0;
    for (const [a, row] of this.#cells) correct += row.get(a) ?? 0;
    return correct / this.#n;
  }

  /** One-vs-rest counts and ratios for one class; for binary problems pass the positive label. */
  classMetrics(label: Label): ClassMetrics {
    const c = String(label);
    const tp = this.count(c, c);
    let predictedC = 0;
    for (const row of this.#cells.values()) predictedC += row.get(c) ?? 0;
    let support = 0;
    for (const v of this.#cells.get(c)?.values() ?? []) support += v;
    const fp = predictedC - tp;
    const fn = support - tp;
    return { tp, fp, fn, tn: this.#n - tp - fp - fn, ...ratios(tp, fp, fn), support };
  }

  report(): ClassificationReport {
    const labels = this.labels();
    const perClass: Record<string, ClassMetrics> = {};
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const macro = { precision: 0, recall: 0, f1: 0 };
    const weighted = { precision: 0, recall: 0, f1: 0 };
    for (const label of labels) {
      const m = this.classMetrics(label);
      perClass[label] = m;
      tp += m.tp;
      fp += m.fp;
      fn += m.fn;
      for (const key of ["precision", "recall", "f1"] as const) {
        macro[key] += m[key] / labels.length;
        weighted[key] += (m[key] * m.support) / this.#n;
      }
    }
    const empty = labels.length === 0;
    const nan = { precision: Number.NaN, recall: Number.NaN, f1: Number.NaN };
    return {
      n: this.#n, accuracy: this.accuracy(), perClass,
      macro: empty ? nan : macro, micro: empty ? nan : ratios(tp, fp, fn), weighted: empty ? nan : weighted,
    };
  }

  toJSON(): ConfusionJSON {
    return { version: CONFUSION_VERSION, cells: this.#cellList() };
  }

  static fromJSON(value: unknown): ConfusionMatrix {
    const v = readObject(value, WHAT, CONFUSION_VERSION);
    if (!Array.isArray(v.cells)) throw new Error(`${WHAT}: cells must be an array`);
    const out = new ConfusionMatrix();
    const seen = new Set<string>();
    v.cells.forEach((cell: unknown, i) => {
      if (!Array.isArray(cell) || cell.length !== 3 || typeof cell[0] !== "string" || typeof cell[1] !== "string") {
        throw new Error(`${WHAT}: cell ${i} must be [actual, predicted, count]`);
      }
      const count = readCount({ count: cell[2] }, "count", WHAT);
      if (count === 0) throw new Error(`${WHAT}: cell ${i} has count 0`);
      const key = JSON.stringify([cell[0], cell[1]]);
      if (seen.has(key)) throw new Error(`${WHAT}: duplicate cell ${cell[0]} → ${cell[1]}`);
      seen.add(key);
      out.#add(cell[0], cell[1], count);
    });
    return out;
  }

  #add(actual: string, predicted: string, count: number): void {
    let row = this.#cells.get(actual);
    if (!row) { row = new Map(); this.#cells.set(actual, row); }
    row.set(predicted, (row.get(predicted) ?? 0) + count);
    this.#n += count;
  }

  #cellList(): [string, string, number][] {
    const out: [string, string, number][] = [];
    for (const [a, row] of this.#cells) for (const [p, c] of row) out.push([a, p, c]);
    return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  }
}

function ratios(tp: number, fp: number, fn: number): Averages {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
