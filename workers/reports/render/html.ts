// The HTML format: one self-contained file (inline CSS, inline SVG charts; no script, no
// font, image or style from anywhere), readable offline and printable. It lays out the
// document's sections; the header and footer carry the provenance an auditor checks:
// exact query, audit chain anchor, generator and the content's SHA-256.
import type { Block, ReportDocument } from "../document.ts";
import { CURRENT_COLOR, REFERENCE_COLOR, distributionBars, lineChart, type Box, type Label } from "./chart-geometry.ts";
import { formatCell, formatTime } from "./format.ts";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const n2 = (v: number) => (Math.round(v * 100) / 100).toString();

const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:2px solid #e3e6ec;padding-bottom:.2rem}
.subtitle{color:#5b6475;margin:0 0 1rem}
.good{color:#2b7a3d;font-weight:600}.bad{color:#c2262e;font-weight:600}.note{color:#5b6475}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}
th{background:#f4f6f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.facts th{width:30%;background:none;color:#5b6475;font-weight:500}
caption{caption-side:top;text-align:left;color:#5b6475;padding:.25rem 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem;margin:.5rem 0}
figure{margin:0;border:1px solid #e3e6ec;border-radius:6px;padding:.5rem;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.25rem}
figure.wide{grid-column:1/-1}
.legend{font-size:.85em;color:#5b6475}.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .25rem 0 .75rem;vertical-align:-1px}
footer{margin-top:2.5rem;border-top:1px solid #e3e6ec;padding-top:.75rem;color:#5b6475;font-size:.85em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr,figure{break-inside:avoid}}
`;

function labelsSvg(labels: Label[], size = 9): string {
  return labels.map((l) => `<text x="${n2(l.x)}" y="${n2(l.y)}" font-size="${size}" text-anchor="${l.anchor}" fill="#5b6475">${escape(l.text)}</text>`).join("");
}

function distributionSvg(block: Extract<Block, { type: "distribution" }>): string {
  const box: Box = { width: 340, height: 150, left: 30, right: 4, top: 4, bottom: 16 };
  const { bars, labels } = distributionBars(block, box);
  const rects = bars
    .map((b) => `<rect x="${n2(b.x)}" y="${n2(b.y)}" width="${n2(b.w)}" height="${n2(b.h)}" fill="${b.side === "reference" ? REFERENCE_COLOR : CURRENT_COLOR}"/>`)
    .join("");
  const title = `${block.title}: ${block.kind === "numerical" ? "histogram over the reference's bins" : "category shares"}, reference against current`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box.width} ${box.height}" width="100%" role="img" aria-label="${escape(title)}"><title>${escape(title)}</title>${rects}${labelsSvg(labels, 8)}</svg>`;
}

function lineChartSvg(block: Extract<Block, { type: "line-chart" }>): string {
  const box: Box = { width: 700, height: 180, left: 46, right: 8, top: 6, bottom: 18 };
  const { lines, threshold, labels } = lineChart(block, box);
  const paths = lines
    .flatMap((l) =>
      l.runs.map((run) =>
        run.length === 1
          ? `<circle cx="${n2(run[0]![0])}" cy="${n2(run[0]![1])}" r="2" fill="${l.color}"/>`
          : `<polyline fill="none" stroke="${l.color}" stroke-width="1.5" points="${run.map(([x, y]) => `${n2(x)},${n2(y)}`).join(" ")}"/>`,
      ),
    )
    .join("");
  const axis = `<line x1="${box.left}" y1="${box.height - box.bottom}" x2="${box.width - box.right}" y2="${box.height - box.bottom}" stroke="#c9ced8"/>`;
  const limit = threshold === null ? "" : `<line x1="${box.left}" y1="${n2(threshold)}" x2="${box.width - box.right}" y2="${n2(threshold)}" stroke="#c2262e" stroke-dasharray="4 3"/>`;
  const legend = lines.length > 1 || threshold !== null
    ? `<div class="legend">${lines.map((l) => `<span style="background:${l.color}"></span>${escape(l.name)}`).join("")}${threshold !== null ? `<span style="background:#c2262e"></span>threshold` : ""}</div>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box.width} ${box.height}" width="100%" role="img" aria-label="${escape(`${block.title} (${block.y_label}) over time`)}"><title>${escape(block.title)}</title>${axis}${limit}${paths}${labelsSvg(labels)}</svg>${legend}`;
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case "paragraph":
      return `<p${block.tone ? ` class="${block.tone}"` : ""}>${escape(block.text)}</p>`;
    case "facts":
      return `<table class="facts"><tbody>${block.rows.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`).join("")}</tbody></table>`;
    case "table": {
      if (block.rows.length === 0) return `<p class="note">${escape(block.empty ?? "None.")}</p>`;
      const head = block.columns.map((c) => `<th${c.numeric ? ' class="num"' : ""} scope="col">${escape(c.label)}</th>`).join("");
      const body = block.rows
        .map((row) => `<tr>${row.map((cell, i) => `<td${block.columns[i]?.numeric ? ' class="num"' : ""}>${escape(formatCell(cell))}</td>`).join("")}</tr>`)
        .join("");
      return `<table>${block.caption ? `<caption>${escape(block.caption)}</caption>` : ""}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
    }
    case "line-chart":
      return `<figure class="wide"><figcaption>${escape(block.title)}</figcaption>${lineChartSvg(block)}</figure>`;
    case "distribution": {
      const verdict = block.verdict ? ` <span class="${block.verdict.drifted ? "bad" : "good"}">${escape(block.verdict.text)}</span>` : "";
      return `<figure><figcaption>${escape(block.title)}${verdict}</figcaption>${distributionSvg(block)}</figure>`;
    }
  }
}

/** Consecutive distribution figures share one grid; everything else stands alone. */
function blocksHtml(blocks: Block[]): string {
  let out = "";
  let grid: string[] = [];
  const flush = () => {
    if (grid.length) out += `<div class="charts">${grid.join("")}</div><div class="legend"><span style="background:${REFERENCE_COLOR}"></span>reference (baseline)<span style="background:${CURRENT_COLOR}"></span>current (the report's range)</div>`;
    grid = [];
  };
  for (const block of blocks) {
    if (block.type === "distribution") grid.push(blockHtml(block));
    else {
      flush();
      out += blockHtml(block);
    }
  }
  flush();
  return out;
}

export function renderHtml(doc: ReportDocument): string {
  const q = doc.query;
  const anchor = doc.audit_anchor;
  const provenance: Array<[string, string]> = [
    ["Report id", doc.id],
    ["Generated", formatTime(doc.generated_at)],
    ["Generator", doc.generator],
    ["Query", JSON.stringify(q)],
    ["Audit chain anchor", `record ${anchor.record_id ?? "— (empty chain)"}, last_hash ${anchor.last_hash} (${anchor.chain_ok ? `chain verified, ${anchor.checked} records` : "CHAIN BROKEN"})`],
    ["Content SHA-256", doc.content_sha256],
  ];
  const sections = doc.sections.map((s) => `<section><h2>${escape(s.title)}</h2>${blocksHtml(s.blocks)}</section>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escape(doc.generator)}">
<meta name="vigil-report-id" content="${escape(doc.id)}">
<meta name="vigil-content-sha256" content="${doc.content_sha256}">
<title>${escape(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escape(doc.title)}</h1><p class="subtitle">${escape(doc.subtitle)}</p>
<table class="facts"><tbody>${provenance.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td class="mono">${escape(v)}</td></tr>`).join("")}</tbody></table></header>
<main>${sections}</main>
<footer>Generated by ${escape(doc.generator)} at ${escape(formatTime(doc.generated_at))}. The content SHA-256 covers the report's data, query, anchor and identity as canonical JSON (the JSON format of the same report carries them); the SHA-256 of this file is in GET /v1/reports/${escape(doc.id)} and in the audit record of its generation.</footer>
</body>
</html>
`;
}
