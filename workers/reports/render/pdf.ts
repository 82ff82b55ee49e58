// The PDF format, generated inside the Worker with pdf-lib (pure JS, no browser): A4
// pages, real text in the standard Helvetica fonts (selectable and searchable), tables
// that repeat their header across pages, vector charts (rectangles and paths, no
// images), "Page i of n" with the report id and content hash on every page, document
// metadata, and the report's JSON attached as an embedded file so the numbers travel
// with the document.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import type { Block, ReportDocument } from "../document.ts";
import { CURRENT_COLOR, REFERENCE_COLOR, distributionBars, lineChart, type Box, type Label } from "./chart-geometry.ts";
import { formatCell, formatTime } from "./format.ts";
import { fitText, pdfSafe, wrapText } from "./pdf-text.ts";

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const FOOTER = 28;
const CONTENT_WIDTH = PAGE[0] - 2 * MARGIN;

const hex = (color: string): RGB => rgb(parseInt(color.slice(1, 3), 16) / 255, parseInt(color.slice(3, 5), 16) / 255, parseInt(color.slice(5, 7), 16) / 255);
const INK = hex("#1d2330");
const MUTED = hex("#5b6475");
const RULE = hex("#e3e6ec");
const HEAD_FILL = hex("#f4f6f9");
const TONE: Record<string, RGB> = { good: hex("#2b7a3d"), bad: hex("#c2262e"), note: MUTED };

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

/** A cursor down the pages: `y` is measured from the top of the current page. */
class Layout {
  page!: PDFPage;
  y = 0;
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  constructor(doc: PDFDocument, fonts: Fonts) {
    this.doc = doc;
    this.fonts = fonts;
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage(PAGE);
    this.y = MARGIN;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number) {
    if (this.y + height > PAGE[1] - MARGIN - FOOTER) this.newPage();
  }

  text(text: string, x: number, size: number, font = this.fonts.regular, color = INK) {
    this.page.drawText(pdfSafe(text), { x, y: PAGE[1] - this.y - size, size, font, color });
  }

  paragraph(text: string, size = 10, font = this.fonts.regular, color = INK, width = CONTENT_WIDTH) {
    for (const line of wrapText(text, font, size, width)) {
      this.ensure(size * 1.35);
      this.text(line, MARGIN, size, font, color);
      this.y += size * 1.35;
    }
  }

  rule(color = RULE, thickness = 0.75) {
    this.page.drawLine({ start: { x: MARGIN, y: PAGE[1] - this.y }, end: { x: PAGE[0] - MARGIN, y: PAGE[1] - this.y }, thickness, color });
  }
}

function facts(l: Layout, rows: Array<[string, string]>, valueFont?: PDFFont) {
  const keyWidth = 150;
  for (const [key, value] of rows) {
    const lines = wrapText(value, valueFont ?? l.fonts.regular, 9, CONTENT_WIDTH - keyWidth - 8);
    const height = lines.length * 12 + 4;
    l.ensure(height);
    l.text(key, MARGIN, 9, l.fonts.bold, MUTED);
    lines.forEach((line, i) => l.page.drawText(line, { x: MARGIN + keyWidth, y: PAGE[1] - l.y - 9 - i * 12, size: 9, font: valueFont ?? l.fonts.regular, color: INK }));
    l.y += height;
  }
  l.y += 4;
}

function table(l: Layout, block: Extract<Block, { type: "table" }>) {
  if (block.rows.length === 0) {
    l.paragraph(block.empty ?? "None.", 9, l.fonts.regular, MUTED);
    l.y += 4;
    return;
  }
  const size = 8;
  const pad = 3;
  const font = l.fonts.regular;
  const cells = block.rows.map((row) => row.map((c) => pdfSafe(formatCell(c))));
  // Natural width per column (capped), scaled down together when they do not fit.
  const natural = block.columns.map((c, i) => Math.min(200, Math.max(l.fonts.bold.widthOfTextAtSize(pdfSafe(c.label), size), ...cells.map((r) => font.widthOfTextAtSize(r[i] ?? "", size))) + 2 * pad));
  const total = natural.reduce((a, b) => a + b, 0);
  const widths = natural.map((w) => (total > CONTENT_WIDTH ? (w / total) * CONTENT_WIDTH : w));
  const drawRow = (texts: string[], bold: boolean, fill?: RGB) => {
    const f = bold ? l.fonts.bold : font;
    const wrapped = texts.map((t, i) => wrapText(t, f, size, Math.max(widths[i]! - 2 * pad, 4)));
    const height = Math.max(...wrapped.map((w) => w.length)) * (size + 2) + 2 * pad;
    l.ensure(height);
    if (fill) l.page.drawRectangle({ x: MARGIN, y: PAGE[1] - l.y - height, width: widths.reduce((a, b) => a + b, 0), height, color: fill });
    let x = MARGIN;
    wrapped.forEach((lines, i) => {
      const numeric = block.columns[i]?.numeric;
      lines.forEach((line, j) => {
        const w = f.widthOfTextAtSize(line, size);
        const tx = numeric ? x + widths[i]! - pad - w : x + pad;
        l.page.drawText(line, { x: tx, y: PAGE[1] - l.y - pad - size - j * (size + 2) + 1, size, font: f, color: INK });
      });
      x += widths[i]!;
    });
    l.y += height;
    l.page.drawLine({ start: { x: MARGIN, y: PAGE[1] - l.y }, end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: PAGE[1] - l.y }, thickness: 0.5, color: RULE });
  };
  if (block.caption) l.paragraph(block.caption, 8, font, MUTED);
  const header = block.columns.map((c) => c.label);
  drawRow(header, true, HEAD_FILL);
  for (const row of cells) {
    const before = l.page;
    l.ensure((size + 2) + 2 * pad);
    if (l.page !== before) drawRow(header, true, HEAD_FILL); // repeat the header on a new page
    drawRow(row, false);
  }
  l.y += 8;
}

function labels(l: Layout, list: Label[], left: number, top: number, size = 6.5) {
  for (const label of list) {
    const text = fitText(label.text, l.fonts.regular, size, 80);
    const w = l.fonts.regular.widthOfTextAtSize(text, size);
    const x = label.anchor === "middle" ? left + label.x - w / 2 : label.anchor === "end" ? left + label.x - w : left + label.x;
    l.page.drawText(text, { x, y: PAGE[1] - top - label.y, size, font: l.fonts.regular, color: MUTED });
  }
}

function lineChartPdf(l: Layout, block: Extract<Block, { type: "line-chart" }>) {
  const box: Box = { width: CONTENT_WIDTH, height: 150, left: 44, right: 6, top: 4, bottom: 16 };
  l.ensure(box.height + 40);
  l.text(block.title, MARGIN, 9, l.fonts.bold);
  l.y += 13;
  const top = l.y;
  const { lines, threshold, labels: axis } = lineChart(block, box);
  l.page.drawLine({ start: { x: MARGIN + box.left, y: PAGE[1] - top - (box.height - box.bottom) }, end: { x: MARGIN + box.width - box.right, y: PAGE[1] - top - (box.height - box.bottom) }, thickness: 0.5, color: hex("#c9ced8") });
  if (threshold !== null) {
    l.page.drawLine({ start: { x: MARGIN + box.left, y: PAGE[1] - top - threshold }, end: { x: MARGIN + box.width - box.right, y: PAGE[1] - top - threshold }, thickness: 0.75, color: TONE.bad!, dashArray: [4, 3] });
  }
  for (const line of lines) {
    for (const run of line.runs) {
      if (run.length === 1) {
        l.page.drawCircle({ x: MARGIN + run[0]![0], y: PAGE[1] - top - run[0]![1], size: 1.5, color: hex(line.color) });
        continue;
      }
      const path = run.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(2)} ${y.toFixed(2)}`).join(" ");
      l.page.drawSvgPath(path, { x: MARGIN, y: PAGE[1] - top, borderColor: hex(line.color), borderWidth: 1.2 });
    }
  }
  labels(l, axis, MARGIN, top);
  l.y = top + box.height;
  if (lines.length > 1 || threshold !== null) {
    let x = MARGIN + box.left;
    for (const line of [...lines.map((s) => ({ name: s.name, color: s.color })), ...(threshold !== null ? [{ name: "threshold", color: "#c2262e" }] : [])]) {
      l.page.drawRectangle({ x, y: PAGE[1] - l.y - 7, width: 7, height: 7, color: hex(line.color) });
      const name = fitText(line.name, l.fonts.regular, 7, 120);
      l.page.drawText(name, { x: x + 10, y: PAGE[1] - l.y - 7, size: 7, font: l.fonts.regular, color: MUTED });
      x += 20 + l.fonts.regular.widthOfTextAtSize(name, 7);
      if (x > PAGE[0] - MARGIN - 60) break;
    }
    l.y += 12;
  }
  l.y += 8;
}

const CELL_W = (CONTENT_WIDTH - 12) / 2;
const CELL_H = 132;

/** Distributions two to a row. */
function distributions(l: Layout, blocks: Array<Extract<Block, { type: "distribution" }>>) {
  for (let i = 0; i < blocks.length; i += 2) {
    l.ensure(CELL_H + 6);
    const top = l.y;
    blocks.slice(i, i + 2).forEach((block, j) => {
      const left = MARGIN + j * (CELL_W + 12);
      const title = fitText(block.title, l.fonts.bold, 8.5, CELL_W * 0.6);
      l.page.drawText(title, { x: left, y: PAGE[1] - top - 9, size: 8.5, font: l.fonts.bold, color: INK });
      if (block.verdict) {
        const verdict = fitText(block.verdict.text, l.fonts.regular, 7.5, CELL_W - l.fonts.bold.widthOfTextAtSize(title, 8.5) - 8);
        l.page.drawText(verdict, { x: left + CELL_W - l.fonts.regular.widthOfTextAtSize(verdict, 7.5), y: PAGE[1] - top - 9, size: 7.5, font: l.fonts.regular, color: block.verdict.drifted ? TONE.bad! : TONE.good! });
      }
      const box: Box = { width: CELL_W, height: CELL_H - 18, left: 26, right: 2, top: 2, bottom: 14 };
      const chartTop = top + 14;
      const { bars, labels: axis } = distributionBars(block, box);
      for (const b of bars) {
        if (b.h <= 0) continue;
        l.page.drawRectangle({ x: left + b.x, y: PAGE[1] - chartTop - b.y - b.h, width: b.w, height: b.h, color: hex(b.side === "reference" ? REFERENCE_COLOR : CURRENT_COLOR) });
      }
      labels(l, axis, left, chartTop, 6);
    });
    l.y = top + CELL_H + 6;
  }
  l.ensure(14);
  l.page.drawRectangle({ x: MARGIN, y: PAGE[1] - l.y - 7, width: 7, height: 7, color: hex(REFERENCE_COLOR) });
  l.text("reference (baseline)", MARGIN + 10, 7, l.fonts.regular, MUTED);
  l.page.drawRectangle({ x: MARGIN + 100, y: PAGE[1] - l.y - 7, width: 7, height: 7, color: hex(CURRENT_COLOR) });
  l.text("current (the report's range)", MARGIN + 110, 7, l.fonts.regular, MUTED);
  l.y += 16;
}

function blocks(l: Layout, list: Block[]) {
  for (let i = 0; i < list.length; i++) {
    const block = list[i]!;
    switch (block.type) {
      case "paragraph":
        l.paragraph(block.text, 9.5, block.tone === "good" || block.tone === "bad" ? l.fonts.bold : l.fonts.regular, block.tone ? TONE[block.tone] : INK);
        l.y += 4;
        break;
      case "facts":
        facts(l, block.rows);
        break;
      case "table":
        table(l, block);
        break;
      case "line-chart":
        lineChartPdf(l, block);
        break;
      case "distribution": {
        const run: Array<Extract<Block, { type: "distribution" }>> = [];
        while (i < list.length && list[i]!.type === "distribution") run.push(list[i++] as Extract<Block, { type: "distribution" }>);
        i--;
        distributions(l, run);
        break;
      }
    }
  }
}

export async function renderPdf(doc: ReportDocument, json: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts: Fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold), mono: await pdf.embedFont(StandardFonts.Courier) };
  const generated = new Date(doc.generated_at);
  pdf.setTitle(pdfSafe(doc.title), { showInWindowTitleBar: true });
  pdf.setSubject(`Vigil ${doc.kind} report ${doc.id}`);
  pdf.setAuthor("Vigil");
  pdf.setCreator(pdfSafe(doc.generator));
  pdf.setProducer("Vigil reports (pdf-lib)");
  pdf.setKeywords([doc.kind, doc.id, `content-sha256:${doc.content_sha256}`]);
  pdf.setCreationDate(generated);
  pdf.setModificationDate(generated);
  await pdf.attach(json, `vigil-report-${doc.id}.json`, { mimeType: "application/json", description: "The same report as JSON (docs/schemas/report.schema.json)", creationDate: generated, modificationDate: generated });

  const l = new Layout(pdf, fonts);
  l.paragraph(doc.title, 17, fonts.bold);
  l.paragraph(doc.subtitle, 10, fonts.regular, MUTED);
  l.y += 6;
  const a = doc.audit_anchor;
  facts(
    l,
    [
      ["Report id", doc.id],
      ["Generated", formatTime(doc.generated_at)],
      ["Generator", doc.generator],
      ["Query", JSON.stringify(doc.query)],
      ["Audit chain anchor", `record ${a.record_id ?? "- (empty chain)"}, last_hash ${a.last_hash} (${a.chain_ok ? `chain verified, ${a.checked} records` : "CHAIN BROKEN"})`],
      ["Content SHA-256", doc.content_sha256],
    ],
    fonts.mono,
  );
  for (const section of doc.sections) {
    l.ensure(60);
    l.y += 8;
    l.paragraph(section.title, 13, fonts.bold);
    l.rule();
    l.y += 6;
    blocks(l, section.blocks);
  }
  l.y += 10;
  l.paragraph(
    `The content SHA-256 covers the report's data, query, anchor and identity as canonical JSON (attached to this PDF as an embedded file). The SHA-256 of this file is in GET /v1/reports/${doc.id} and in the audit record of its generation.`,
    8,
    fonts.regular,
    MUTED,
  );

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    const label = `Page ${i + 1} of ${pages.length}`;
    page.drawText(label, { x: PAGE[0] - MARGIN - fonts.regular.widthOfTextAtSize(label, 8), y: MARGIN - 16, size: 8, font: fonts.regular, color: MUTED });
    page.drawText(fitText(`${doc.title} · ${doc.id} · content SHA-256 ${doc.content_sha256.slice(0, 16)}…`, fonts.regular, 7, CONTENT_WIDTH - 80), { x: MARGIN, y: MARGIN - 16, size: 7, font: fonts.regular, color: MUTED });
  });
  return pdf.save({ useObjectStreams: true });
}
