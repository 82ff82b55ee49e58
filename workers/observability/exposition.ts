// Renders metric families in the Prometheus text exposition format 0.0.4 and in
// OpenMetrics 1.0.0 (chosen by the scraper's Accept header).
//  - text 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): HELP
//    escapes `\` and newline; label values escape `\`, `"` and newline.
//  - OpenMetrics 1.0.0 (https://github.com/prometheus/OpenMetrics/blob/v1.0.0/specification/OpenMetrics.md):
//    a counter family is named without `_total`, its samples carry it; HELP also
//    escapes `"`; the exposition ends with `# EOF`.
// Values are finite here (version-samples.ts drops the rest); integers print without a
// decimal point, others in JavaScript's shortest round-trip form, which both formats accept.
import { familyName, type Family } from "./families.ts";

export type ExpositionFormat = "prometheus" | "openmetrics";

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

interface Offer {
  type: string;
  q: number;
}

function parseAccept(header: string): Offer[] {
  return header.split(",").map((part) => {
    const [type = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    return { type, q: Number.isFinite(value) ? value : 0 };
  });
}

/**
 * OpenMetrics when the Accept header asks for `application/openmetrics-text` at least as
 * strongly as for plain text (Prometheus sends both, OpenMetrics first and weighted higher);
 * the text format otherwise, including without an Accept header.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return "prometheus";
  const offers = parseAccept(accept);
  const om = Math.max(0, ...offers.filter((o) => o.type === "application/openmetrics-text").map((o) => o.q));
  if (om <= 0) return "prometheus";
  const text = Math.max(0, ...offers.filter((o) => o.type === "text/plain" || o.type === "text/*" || o.type === "*/*").map((o) => o.q));
  return om >= text ? "openmetrics" : "prometheus";
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string, format: ExpositionFormat): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  return format === "openmetrics" ? escaped.replace(/"/g, '\\"') : escaped;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function labelText(labels: Readonly<Record<string, string>>, order: readonly string[]): string {
  const parts = order.filter((k) => labels[k] !== undefined).map((k) => `${k}="${escapeLabelValue(labels[k] as string)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

export function render(families: readonly Family[], format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const { def, samples } of families) {
    const name = format === "openmetrics" ? familyName(def) : def.name;
    lines.push(`# HELP ${name} ${escapeHelp(def.help, format)}`, `# TYPE ${name} ${def.type}`);
    for (const s of samples) lines.push(`${def.name}${labelText(s.labels, def.labels)} ${formatValue(s.value)}`);
  }
  if (format === "openmetrics") lines.push("# EOF");
  return lines.join("\n") + "\n";
}
