// The JSON format: the envelope and the kind's data, as docs/schemas/report.schema.json
// documents (the sections are layout and stay out). Keys in a stable order, two-space
// indent, so two runs over the same data diff cleanly.
import { REPORT_FORMAT_VERSION, type ReportDocument } from "../document.ts";

export function reportJson(doc: ReportDocument) {
  return {
    format: "vigil.report",
    format_version: REPORT_FORMAT_VERSION,
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    subtitle: doc.subtitle,
    generated_at: doc.generated_at,
    generator: doc.generator,
    query: doc.query,
    audit_anchor: doc.audit_anchor,
    content_sha256: doc.content_sha256,
    data: doc.data,
  };
}

export function renderJson(doc: ReportDocument): string {
  return `${JSON.stringify(reportJson(doc), null, 2)}\n`;
}
