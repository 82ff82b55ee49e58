// `vigil drift --html`: the drift report as one self-contained HTML file (inline CSS and
// SVG; no script, font or image from anywhere), readable offline and printable: the
// summary, one row per column and test, an overlaid reference/current plot per column,
// and the multivariate and embedding sections when asked for.

import type { EmbeddingDriftResult } from "../stats/embeddings/embedding-drift.ts";
import type { DriftReport } from "../stats/drift/types.ts";
import type { MultivariateReport } from "../stats/multivariate/multivariate.ts";
import { formatScore } from "./format-table.ts";
import type { ColumnPlot } from "./report-plots.ts";

export interface HtmlReportInput {
  report: DriftReport & { multivariate?: MultivariateReport; embeddings?: Array<{ column: string; dimension: number } & EmbeddingDriftResult> };
  plots: ColumnPlot[];
  reference: string;
  current: string;
  generatedAt: Date;
  generator: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#5b6475;margin:0 0 1rem}.verdict{font-weight:600}.drift{color:#c2262e}.ok{color:#2b7a3d}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ec}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1rem}
figure{margin:0;border:1px solid #e3e6ec;border-radius:6px;padding:.5rem;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.25rem}
.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .25rem 0 .75rem;vertical-align:-1px}
@media print{body{margin:0}h2{break-after:avoid}}
`;

const REFERENCE_FILL = "#8aa4d6";
const CURRENT_FILL = "#e07b39";

/** An overlaid bar chart of two share vectors: reference bars behind, current bars in front, half width. */
function plotSvg(plot: ColumnPlot): string {
  const width = 320;
  const height = 140;
  const n = plot.reference.length;
  const top = Math.max(...plot.reference, ...plot.current, 1e-12);
  const slot = width / n;
  const bar = (share: number, x: number, w: number, fill: string) => {
    const h = (share / top) * (height - 20);
    return `<rect x="${x.toFixed(2)}" y="${(height - 20 - h).toFixed(2)}" width="${w.toFixed(2)}" height="${h.toFixed(2)}" fill="${fill}"/>`;
  };
  const bars = plot.reference.map((share, i) => bar(share, i * slot + 1, slot - 2, REFERENCE_FILL) + bar(plot.current[i] ?? 0, i * slot + slot / 4, slot / 2, CURRENT_FILL)).join("");
  const label =
    plot.kind === "numerical"
      ? `<text x="0" y="${height - 4}" font-size="10">${escape(formatScore(plot.edges[0]!))}</text><text x="${width}" y="${height - 4}" font-size="10" text-anchor="end">${escape(formatScore(plot.edges[plot.edges.length - 1]!))}</text>`
      : plot.categories
          .map((category, i) => `<text x="${(i * slot + slot / 2).toFixed(2)}" y="${height - 4}" font-size="9" text-anchor="middle">${escape(category.length > 8 ? `${category.slice(0, 7)}…` : category)}</text>`)
          .join("");
  const title = `${plot.column}: ${plot.kind === "numerical" ? "histogram" : "category shares"}, reference against current`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escape(title)}"><title>${escape(title)}</title>${bars}${label}</svg>`;
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const { report } = input;
  const d = report.dataset;
  const rows = report.columns
    .map(
      (row) =>
        `<tr><td>${escape(row.column)}</td><td>${row.kind}</td><td>${escape(row.test)}${row.default ? "" : " (extra)"}</td><td class="num">${escape(formatScore(row.score))}</td><td class="num">${row.threshold}</td><td class="${row.drifted ? "drift" : "ok"}">${row.drifted ? "drift" : "no drift"}</td></tr>`,
    )
    .join("\n");
  const notApplicable = report.not_applicable.length
    ? `<h2>Tests that did not apply</h2><table><thead><tr><th>Column</th><th>Test</th><th>Why</th></tr></thead><tbody>${report.not_applicable
        .map((row) => `<tr><td>${escape(row.column)}</td><td>${escape(row.test)}</td><td>${escape(row.reason)}</td></tr>`)
        .join("")}</tbody></table>`
    : "";
  const plots = input.plots.length
    ? `<h2>Distributions</h2><p class="legend">Shares of each side:<span style="background:${REFERENCE_FILL}"></span>reference<span style="background:${CURRENT_FILL}"></span>current</p><div class="plots">${input.plots
        .map((plot) => `<figure><figcaption>${escape(plot.column)}</figcaption>${plotSvg(plot)}</figure>`)
        .join("\n")}</div>`
    : "";
  const m = report.multivariate;
  const multivariate = m
    ? `<h2>Features together</h2><table><tbody>
<tr><th>Domain classifier AUC</th><td class="num">${escape(formatScore(m.domain_classifier.auc))} (95% CI ${escape(formatScore(m.domain_classifier.ci95[0]))}–${escape(formatScore(m.domain_classifier.ci95[1]))})</td><td class="${m.domain_classifier.drifted ? "drift" : "ok"}">${m.domain_classifier.drifted ? "drift" : "no drift"}</td></tr>
<tr><th>Features that tell the sets apart</th><td colspan="2">${escape(m.domain_classifier.top_features.map((f) => `${f.feature} ${Math.round(f.importance * 100)}%`).join(", ") || "—")}</td></tr>
<tr><th>Reconstruction error</th><td class="num">${escape(formatScore(m.reconstruction.error))} (expected ${escape(formatScore(m.reconstruction.lower))}–${escape(formatScore(m.reconstruction.upper))})</td><td class="${m.reconstruction.drifted ? "drift" : "ok"}">${m.reconstruction.drifted ? "drift" : "no drift"}</td></tr>
</tbody></table>`
    : "";
  const embeddings = report.embeddings?.length
    ? `<h2>Embeddings</h2><table><thead><tr><th>Column</th><th class="num">Size</th><th>Method</th><th class="num">Score</th><th class="num">Threshold</th><th>Verdict</th></tr></thead><tbody>${report.embeddings
        .map((e) => `<tr><td>${escape(e.column)}</td><td class="num">${e.dimension}</td><td>${e.method}</td><td class="num">${escape(formatScore(e.score))}</td><td class="num">${escape(formatScore(e.threshold))}</td><td class="${e.drifted ? "drift" : "ok"}">${e.drifted ? "drift" : "no drift"}</td></tr>`)
        .join("")}</tbody></table>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Drift report: ${escape(input.current)} against ${escape(input.reference)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Drift report</h1>
<p class="meta">Reference <strong>${escape(input.reference)}</strong>, current <strong>${escape(input.current)}</strong> · generated ${escape(input.generatedAt.toISOString())} by ${escape(input.generator)}</p>
<p class="verdict ${d.dataset_drift ? "drift" : "ok"}">Dataset drift: ${d.dataset_drift ? "yes" : "no"} — ${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted (share ${escape(formatScore(d.share_of_drifted_columns))}, threshold ${d.drift_share_threshold})</p>
<h2>Columns</h2>
<table><thead><tr><th>Column</th><th>Kind</th><th>Test</th><th class="num">Score</th><th class="num">Threshold</th><th>Verdict</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${notApplicable}
${multivariate}
${embeddings}
${plots}
</body>
</html>
`;
}
