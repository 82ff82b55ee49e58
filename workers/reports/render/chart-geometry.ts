// Chart geometry shared by the SVG (HTML) and PDF renderers: where each bar and each line
// vertex of a block lands in a plot box, in the box's own units with y pointing down.
// Each renderer only draws what this returns, so the two formats show the same chart.
import type { Block, Series } from "../document.ts";
import { formatNumber, timeTick, valueRange } from "./format.ts";

export interface Box {
  width: number;
  height: number;
  /** Margins for axis labels. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export interface Bar {
  x: number;
  y: number;
  w: number;
  h: number;
  side: "reference" | "current";
}

export interface Label {
  x: number;
  y: number;
  text: string;
  anchor: "start" | "middle" | "end";
}

export const SERIES_COLORS = ["#2f5fb3", "#e07b39", "#2b7a3d", "#8e44ad", "#c2262e", "#16a2b8"];
export const REFERENCE_COLOR = "#8aa4d6";
export const CURRENT_COLOR = "#e07b39";

const plotWidth = (b: Box) => b.width - b.left - b.right;
const plotHeight = (b: Box) => b.height - b.top - b.bottom;

/** Reference bars full width behind, current bars half width in front, per cell. */
export function distributionBars(block: Extract<Block, { type: "distribution" }>, box: Box): { bars: Bar[]; labels: Label[] } {
  const n = Math.max(1, block.reference.length);
  const top = Math.max(...block.reference, ...block.current, 1e-12);
  const slot = plotWidth(box) / n;
  const base = box.top + plotHeight(box);
  const bars: Bar[] = [];
  const bar = (share: number, x: number, w: number, side: Bar["side"]) => {
    const h = (share / top) * plotHeight(box);
    bars.push({ x, y: base - h, w, h, side });
  };
  for (let i = 0; i < n; i++) {
    bar(block.reference[i] ?? 0, box.left + i * slot + 1, Math.max(slot - 2, 0.5), "reference");
    bar(block.current[i] ?? 0, box.left + i * slot + slot / 4, Math.max(slot / 2, 0.5), "current");
  }
  const labels: Label[] = [];
  // At most ~12 labels along the axis, or they overlap.
  const every = Math.max(1, Math.ceil(n / 12));
  for (let i = 0; i < n; i += every) {
    const text = block.labels[i] ?? "";
    labels.push({ x: box.left + i * slot + slot / 2, y: base + 10, text: text.length > 10 ? `${text.slice(0, 9)}…` : text, anchor: "middle" });
  }
  labels.push({ x: box.left - 3, y: box.top + 7, text: formatNumber(Number(top.toPrecision(2))), anchor: "end" });
  labels.push({ x: box.left - 3, y: base, text: "0", anchor: "end" });
  return { bars, labels };
}

export interface Polyline {
  color: string;
  name: string;
  /** Runs of points without gaps. */
  runs: Array<Array<[number, number]>>;
}

/** Series as polylines over [from, to], an optional dashed threshold line, and axis labels. */
export function lineChart(block: Extract<Block, { type: "line-chart" }>, box: Box): { lines: Polyline[]; threshold: number | null; labels: Label[] } {
  const values = block.series.flatMap((s: Series) => s.points.map(([, v]) => v).filter((v): v is number => v !== null));
  const [lo, hi] = valueRange(values, block.threshold === undefined ? [] : [block.threshold]);
  const span = Math.max(block.to - block.from, 1);
  const x = (t: number) => box.left + ((t - block.from) / span) * plotWidth(box);
  const y = (v: number) => box.top + plotHeight(box) - ((v - lo) / (hi - lo)) * plotHeight(box);
  const lines = block.series.map((s, i) => {
    const runs: Array<Array<[number, number]>> = [];
    let run: Array<[number, number]> = [];
    for (const [t, v] of s.points) {
      if (v === null || !Number.isFinite(v)) {
        if (run.length) runs.push(run);
        run = [];
        continue;
      }
      run.push([x(t), y(v)]);
    }
    if (run.length) runs.push(run);
    return { color: SERIES_COLORS[i % SERIES_COLORS.length]!, name: s.name, runs };
  });
  const base = box.top + plotHeight(box);
  const labels: Label[] = [
    { x: box.left - 3, y: box.top + 7, text: formatNumber(hi), anchor: "end" },
    { x: box.left - 3, y: base, text: formatNumber(lo), anchor: "end" },
  ];
  for (let i = 0; i <= 4; i++) {
    const t = block.from + (span * i) / 4;
    labels.push({ x: x(t), y: base + 11, text: timeTick(t, span), anchor: i === 0 ? "start" : i === 4 ? "end" : "middle" });
  }
  return { lines, threshold: block.threshold === undefined ? null : y(block.threshold), labels };
}
