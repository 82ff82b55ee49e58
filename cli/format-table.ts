// The human-readable `vigil drift` output: one aligned row per (column, test), then
// the dataset summary and the tests that did not apply.

import type { DriftReport } from "../stats/drift/types.ts";
import type { EmbeddingDriftResult } from "../stats/embeddings/embedding-drift.ts";
import type { MultivariateReport } from "../stats/multivariate/multivariate.ts";

/** Four significant digits; tiny p-values keep their exponent rather than print as 0. */
export function formatScore(score: number): string {
  if (Number.isNaN(score)) return "nan";
  if (score === 0 || !Number.isFinite(score)) return String(score);
  const rounded = Number(score.toPrecision(4));
  if (Math.abs(rounded) < 1e-4) return rounded.toExponential();
  return String(rounded);
}

type Embedding = { column: string; dimension: number } & EmbeddingDriftResult;

export function formatTable(report: DriftReport & { multivariate?: MultivariateReport; embeddings?: Embedding[] }): string {
  const hasExtraTests = report.columns.some((row) => !row.default);
  const header = ["column", "kind", "test", "score", "threshold", "drifted"];
  const rows = report.columns.map((row) => [
    row.column,
    row.kind,
    hasExtraTests && row.default ? `${row.test} *` : row.test,
    formatScore(row.score),
    String(row.threshold),
    row.drifted ? "yes" : "no",
  ]);
  const lines = alignColumns([header, ...rows], new Set([3, 4]));
  if (hasExtraTests) lines.push("", "* the column's default test, which counts toward dataset drift");

  const { dataset } = report;
  lines.push(
    "",
    `Dataset drift: ${dataset.dataset_drift ? "yes" : "no"} (${dataset.number_of_drifted_columns} of ${dataset.number_of_columns} columns drifted, share ${formatScore(dataset.share_of_drifted_columns)}, threshold ${dataset.drift_share_threshold})`,
  );
  if (report.multivariate !== undefined) lines.push("", ...multivariateLines(report.multivariate));
  if (report.embeddings !== undefined && report.embeddings.length > 0) {
    lines.push("", "Embedding drift:");
    const rows = report.embeddings.map((e) => [e.column, `${e.dimension}-d`, e.method, formatScore(e.score), formatScore(e.threshold), e.drifted ? "yes" : "no"]);
    for (const line of alignColumns([["column", "size", "method", "score", "threshold", "drifted"], ...rows], new Set([3, 4]))) lines.push(`  ${line}`);
  }
  if (report.not_applicable.length > 0) {
    lines.push("", "Not applicable:");
    const notApplicable = report.not_applicable.map((row) => [row.column, row.test, row.reason]);
    for (const line of alignColumns(notApplicable, new Set())) lines.push(`  ${line}`);
  }
  return `${lines.join("\n")}\n`;
}

function multivariateLines({ domain_classifier: classifier, reconstruction }: MultivariateReport): string[] {
  const top = classifier.top_features.map((entry) => `${entry.feature} ${formatScore(entry.importance)}`).join(", ");
  return [
    "Multivariate drift:",
    `  domain classifier   AUC ${formatScore(classifier.auc)} (95% CI ${formatScore(classifier.ci95[0])} to ${formatScore(classifier.ci95[1])}), drifted: ${classifier.drifted ? "yes" : "no"}`,
    `                      features that tell the sets apart: ${top === "" ? "none" : top}`,
    `  reconstruction      error ${formatScore(reconstruction.error)} (expected ${formatScore(reconstruction.lower)} to ${formatScore(reconstruction.upper)}; ${reconstruction.components} PCA components), drifted: ${reconstruction.drifted ? "yes" : "no"}`,
  ];
}

/** Pads cells to their column's widest entry; columns in `rightAligned` pad on the left. */
function alignColumns(table: readonly string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of table) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return table.map((row) =>
    row
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        if (index === row.length - 1 && !rightAligned.has(index)) return cell;
        return rightAligned.has(index) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  "),
  );
}
