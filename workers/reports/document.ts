// The one shape every report kind gathers into and every format renders from: the
// envelope (identity, exact query, audit anchor, generator), the kind's own `data` (the
// numbers, which the JSON format carries as they are), and `sections`: the same numbers
// laid out as headings, facts, tables and charts for the HTML and PDF renderers. So the
// three formats cannot disagree, and a renderer knows nothing about any kind.

export const REPORT_KINDS = ["drift", "performance", "model-risk", "audit-trail", "gdpr-processing"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_FORMATS = ["pdf", "html", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Bumped when the JSON layout changes incompatibly (docs/schemas/report.schema.json). */
export const REPORT_FORMAT_VERSION = 1;

export interface ReportQuery {
  kind: ReportKind;
  format: ReportFormat;
  project: string | null;
  model: string | null;
  version: string | null;
  from: string;
  to: string;
}

export interface AuditAnchor {
  /** `last_hash` of GET /v1/audit/verify when generation started: the chain the report saw. */
  last_hash: string;
  /** The id of the record whose hash that is; null when the org's chain was still empty. */
  record_id: number | null;
  /** Whether the chain verified unbroken up to there. */
  chain_ok: boolean;
  /** Records the verification walked. */
  checked: number;
}

export type Cell = string | number | null;

export interface Series {
  name: string;
  /** [Unix ms, value]; null leaves a gap. */
  points: Array<[number, number | null]>;
}

export type Block =
  | { type: "paragraph"; text: string; tone?: "good" | "bad" | "note" }
  | { type: "facts"; rows: Array<[string, string]> }
  | { type: "table"; columns: Array<{ label: string; numeric?: boolean }>; rows: Cell[][]; caption?: string; empty?: string }
  | { type: "line-chart"; title: string; series: Series[]; y_label: string; from: number; to: number; threshold?: number }
  | {
      type: "distribution";
      title: string;
      kind: "numerical" | "categorical";
      /** Numerical: the cells' labels from the reference's bin edges; categorical: the categories. */
      labels: string[];
      reference: number[];
      current: number[];
      verdict?: { drifted: boolean; text: string };
    };

export interface Section {
  title: string;
  blocks: Block[];
}

/** What a kind's gatherer returns. */
export interface Gathered {
  title: string;
  subtitle: string;
  data: Record<string, unknown>;
  sections: Section[];
}

/** The report as every renderer receives it. */
export interface ReportDocument extends Gathered {
  id: string;
  kind: ReportKind;
  generated_at: string;
  generator: string;
  query: ReportQuery;
  audit_anchor: AuditAnchor;
  /** SHA-256 of the canonical JSON of the content (contentOf), printed in every format. */
  content_sha256: string;
}

/** What content_sha256 covers: everything in the document but its layout and the hash itself. */
export function contentOf(doc: Omit<ReportDocument, "content_sha256">) {
  return { id: doc.id, kind: doc.kind, generated_at: doc.generated_at, generator: doc.generator, query: doc.query, audit_anchor: doc.audit_anchor, data: doc.data };
}
