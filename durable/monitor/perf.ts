// Performance of one bucket of predictions, from actuals joined by prediction_id. The
// metrics themselves are stats/perf's mergeable accumulators; this file only decides
// which apply to a (prediction, actual, score) triple and carries them as one value.
import { BrierScore } from "../../stats/perf/brier.ts";
import { ConfusionMatrix } from "../../stats/perf/confusion.ts";
import { LogLoss } from "../../stats/perf/log-loss.ts";
import { RegressionMetrics } from "../../stats/perf/regression.ts";
import { BinaryRocAuc } from "../../stats/perf/roc-auc.ts";
import type { Performance } from "../protocol.ts";
import type { Label } from "./calls.ts";

/** 200 score bins keep |AUC error| small for live views at 3.2 KB of JSON per bucket. */
const AUC_BINS = 200;

export type Task = "classification" | "regression";

const isBinary = (v: Label): v is boolean | 0 | 1 => v === true || v === false || v === 0 || v === 1;

/** What kind of problem a labelled prediction belongs to, registry kind first. */
export function taskOf(predictionKind: string | null, prediction: Label, actual: Label): Task {
  if (predictionKind === "regression") return "regression";
  if (predictionKind === "binary" || predictionKind === "multiclass") return "classification";
  if (typeof prediction !== "number" || typeof actual !== "number") return "classification";
  if (isBinary(prediction) && isBinary(actual)) return "classification";
  return Number.isInteger(prediction) && Number.isInteger(actual) ? "classification" : "regression";
}

interface PerfJSON {
  labeled: number;
  confusion?: unknown;
  regression?: unknown;
  auc?: unknown;
  logLoss?: unknown;
  brier?: unknown;
}

/**
 * The positive class when every label seen is binary ("1" among "0"/"1", "true" among
 * "false"/"true"); null when the labels are binary but the positive one never occurred;
 * undefined when they are not binary (multiclass: macro means).
 */
export function positiveClass(classes: readonly string[]): string | null | undefined {
  if (classes.every((c) => c === "0" || c === "1")) return classes.includes("1") ? "1" : null;
  if (classes.every((c) => c === "false" || c === "true")) return classes.includes("true") ? "true" : null;
  return undefined;
}

export class PerfState {
  labeled = 0;
  confusion: ConfusionMatrix | null = null;
  regression: RegressionMetrics | null = null;
  auc: BinaryRocAuc | null = null;
  logLoss: LogLoss | null = null;
  brier: BrierScore | null = null;

  /** Counts one labelled prediction. Returns false when the pair fits no metric (e.g. a non-number actual for a regression). */
  add(task: Task, prediction: Label, actual: Label, score: number | Record<string, number> | undefined): boolean {
    if (task === "regression") {
      if (typeof prediction !== "number" || typeof actual !== "number" || !Number.isFinite(actual)) return false;
      (this.regression ??= new RegressionMetrics()).update(actual, prediction);
      this.labeled++;
      return true;
    }
    (this.confusion ??= new ConfusionMatrix()).update(actual, prediction);
    this.labeled++;
    if (typeof score === "number" && isBinary(actual) && score >= 0 && score <= 1) {
      (this.auc ??= new BinaryRocAuc(AUC_BINS)).update(actual, score);
      (this.logLoss ??= new LogLoss()).updateBinary(actual, score);
      (this.brier ??= new BrierScore()).updateBinary(actual, score);
    } else if (score !== undefined && typeof score === "object") {
      try {
        const probs = new LogLoss();
        probs.updateMulticlass(String(actual), score);
        (this.logLoss ??= new LogLoss()).merge(probs);
        (this.brier ??= new BrierScore()).updateMulticlass(String(actual), score);
      } catch {
        // A probability row that does not normalize (all zero, negative) gives no loss.
      }
    }
    return true;
  }

  merge(other: PerfState): void {
    this.labeled += other.labeled;
    if (other.confusion) (this.confusion ??= new ConfusionMatrix()).merge(other.confusion);
    if (other.regression) (this.regression ??= new RegressionMetrics()).merge(other.regression);
    if (other.auc) (this.auc ??= new BinaryRocAuc(other.auc.bins)).merge(other.auc);
    if (other.logLoss) (this.logLoss ??= new LogLoss()).merge(other.logLoss);
    if (other.brier) (this.brier ??= new BrierScore()).merge(other.brier);
  }

  /** Null until some prediction in the bucket is labelled. */
  view(): Performance | null {
    if (this.labeled === 0) return null;
    const metrics: Record<string, number> = {};
    const put = (name: string, value: number) => {
      if (Number.isFinite(value)) metrics[name] = value;
    };
    if (this.regression && this.regression.n > 0) {
      const r = this.regression.result();
      put("mae", r.mae);
      put("rmse", r.rmse);
      put("mape", r.mape);
      put("r2", r.r2);
      put("bias", r.bias);
      return { task: "regression", labeled: this.labeled, metrics };
    }
    if (this.confusion && this.confusion.n > 0) {
      const report = this.confusion.report();
      put("accuracy", report.accuracy);
      // Binary labels: precision, recall and F1 of the positive class, as sklearn's
      // average="binary" (pos_label 1 or true): the recall of a default model is the share
      // of defaults it caught, not a mean with the non-default class. A window where the
      // positive class never occurred has no such figures. Other labels: macro means.
      const positive = positiveClass(Object.keys(report.perClass));
      const own = positive === undefined ? report.macro : positive === null ? undefined : report.perClass[positive];
      if (own) {
        put("precision", own.precision);
        put("recall", own.recall);
        put("f1", own.f1);
      }
      put("macro_precision", report.macro.precision);
      put("macro_recall", report.macro.recall);
      put("macro_f1", report.macro.f1);
    }
    if (this.auc) put("roc_auc", this.auc.result().auc);
    if (this.logLoss) put("log_loss", this.logLoss.value());
    if (this.brier) put("brier", this.brier.value());
    return { task: "classification", labeled: this.labeled, metrics };
  }

  toJSON(): PerfJSON {
    const out: PerfJSON = { labeled: this.labeled };
    if (this.confusion) out.confusion = this.confusion.toJSON();
    if (this.regression) out.regression = this.regression.toJSON();
    if (this.auc) out.auc = this.auc.toJSON();
    if (this.logLoss) out.logLoss = this.logLoss.toJSON();
    if (this.brier) out.brier = this.brier.toJSON();
    return out;
  }

  static fromJSON(value: unknown): PerfState {
    const out = new PerfState();
    if (typeof value !== "object" || value === null) return out;
    const v = value as PerfJSON;
    out.labeled = typeof v.labeled === "number" ? v.labeled : 0;
    if (v.confusion !== undefined) out.confusion = ConfusionMatrix.fromJSON(v.confusion);
    if (v.regression !== undefined) out.regression = RegressionMetrics.fromJSON(v.regression);
    if (v.auc !== undefined) out.auc = BinaryRocAuc.fromJSON(v.auc);
    if (v.logLoss !== undefined) out.logLoss = LogLoss.fromJSON(v.logLoss);
    if (v.brier !== undefined) out.brier = BrierScore.fromJSON(v.brier);
    return out;
  }
}
