// The gdpr-processing report: the GDPR Art. 30 record of processing for the org, a
// project or a model. What Vigil processes about data subjects (prediction telemetry
// keyed by the optional pseudonymous subject_id), which features each model version tags
// as personal data (`pii` in its feature schema), where the data goes (stores and
// configured output channels), the retention in force per store (and per model where it
// is overridden), and the erasure requests of the range with their certificates.
import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import { channels, erasureRequests, modelVersions, models, orgPiiKeys, orgs } from "../../db/schema/index.ts";
import type { Gathered, Section } from "../document.ts";
import { formatNumber, formatTime } from "../render/format.ts";
import { retentionInForce, type RetentionInForce } from "../retention.ts";
import type { GatherContext } from "./context.ts";
import { iso } from "./context.ts";

const RETENTION_ROWS: Array<[keyof Omit<RetentionInForce, "source">, string]> = [
  ["raw_events_days", "Row-level events (predictions kept for the label join, held baseline events, stored batches)"],
  ["labels_days", "Actuals (label marks)"],
  ["aggregates_days", "Window summaries and event-time series (aggregates: no row-level data)"],
  ["outcomes_days", "Business outcomes"],
  ["deliveries_days", "Alert deliveries"],
  ["audit_days", "Audit log"],
];

export async function gatherGdpr(ctx: GatherContext): Promise<Gathered> {
  const { db, scope, range, env } = ctx;
  const modelRows = scope.model
    ? [{ id: scope.model.id, name: scope.model.name }]
    : await db.select({ id: models.id, name: models.name }).from(models).where(and(eq(models.orgId, scope.orgId), scope.project ? eq(models.projectId, scope.project.id) : undefined)).orderBy(asc(models.name));
  const modelIds = modelRows.map((m) => m.id);
  const [org, versions, erasures, channelRows, piiKey, orgRetention, modelRetentions] = await Promise.all([
    db.select({ name: orgs.name, slug: orgs.slug }).from(orgs).where(eq(orgs.id, scope.orgId)).then((r) => r[0]!),
    modelIds.length ? db.select({ modelId: modelVersions.modelId, version: modelVersions.version, stage: modelVersions.stage, schema: modelVersions.featureSchema }).from(modelVersions).where(inArray(modelVersions.modelId, modelIds)).orderBy(asc(modelVersions.createdAt)) : [],
    db.select().from(erasureRequests).where(and(eq(erasureRequests.orgId, scope.orgId), gte(erasureRequests.requestedAt, range.from), lt(erasureRequests.requestedAt, range.to))).orderBy(asc(erasureRequests.requestedAt)),
    db.select({ name: channels.name, kind: channels.kind, models: channels.models, enabled: channels.enabled }).from(channels).where(and(eq(channels.orgId, scope.orgId), isNull(channels.deletedAt))),
    db.select({ createdAt: orgPiiKeys.createdAt }).from(orgPiiKeys).where(eq(orgPiiKeys.orgId, scope.orgId)).then((r) => r[0] ?? null),
    retentionInForce(db, scope.orgId, null),
    Promise.all(modelRows.map(async (m) => [m.name, await retentionInForce(db, scope.orgId, m.id)] as const)),
  ]);
  const nameOf = new Map(modelRows.map((m) => [m.id, m.name]));
  const piiFeatures = versions.flatMap((v) =>
    (v.schema as Array<{ name: string; kind: string; pii?: string }>).filter((f) => f.pii).map((f) => ({ model: nameOf.get(v.modelId)!, version: v.version, stage: v.stage, feature: f.name, kind: f.kind, pii: f.pii! })),
  );
  // An erasure without `model` covers the whole org, so it belongs to every scope.
  const inScope = erasures.filter((e) => !scope.model && !scope.project ? true : e.model === null || modelRows.some((m) => m.name === e.model));
  const overridden = modelRetentions.filter(([, r]) => r.source === "org policy with model overrides");
  const recipients = [
    { recipient: "Postgres (system of record)", data: "registry, aggregates, outcomes, audit log", configured: true },
    { recipient: "Durable Object storage (per model version)", data: "row-level events, predictions and label marks for the join", configured: true },
    { recipient: "Redis (latest scores)", data: "aggregates only", configured: Boolean(env.UPSTASH_REDIS_REST_URL) },
    { recipient: "Kafka (vigil.aggregates, vigil.alerts)", data: "aggregates and alerts, no row-level data", configured: Boolean(env.KAFKA_REST_URL) },
    { recipient: "OpenTelemetry collector", data: "metrics only", configured: Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) },
    ...channelRows.map((c) => ({ recipient: `Channel "${c.name}" (${c.kind})`, data: "alert notifications (summaries, no row-level data)", configured: c.enabled })),
  ];
  const data = {
    controller: { org: org.name, slug: org.slug },
    scope: { project: scope.project?.slug ?? null, model: scope.model?.name ?? null },
    purpose: "Monitoring the quality, drift and performance of machine-learning models in production; alerting on deviations; evidence for model-risk and audit reviews.",
    data_subjects: "The people the monitored predictions are about, identified only by the pseudonymous subject_id the sender chooses (optional).",
    models: modelRows.map((m) => m.name),
    pii_features: piiFeatures,
    pseudonymisation_key: piiKey ? { present: true, created_at: iso(piiKey.createdAt) } : { present: false, created_at: null },
    retention: { org: orgRetention, model_overrides: Object.fromEntries(overridden) },
    recipients,
    erasure_requests: inScope.map((e) => ({ id: e.id, status: e.status, model: e.model, target: e.target, requested_by: e.requestedBy, requested_at: iso(e.requestedAt), completed_at: iso(e.completedAt), removed: e.removed, certificate_sha256: e.certificateSha256, audit_id: e.auditId, error: e.error })),
  };
  const scopeText = scope.model ? `model ${scope.model.name}` : scope.project ? `project ${scope.project.slug}` : `org ${org.slug}`;
  const sections: Section[] = [
    {
      title: "Record of processing (Art. 30(1))",
      blocks: [
        { type: "facts", rows: [["Controller", `${org.name} (${org.slug})`], ["Scope", scopeText], ["Purpose", data.purpose], ["Data subjects", data.data_subjects], ["Models", data.models.join(", ") || "none"], ["Period", `${formatTime(range.from)} to ${formatTime(range.to)}`], ["Pseudonymisation key", piiKey ? `per-org key present since ${formatTime(piiKey.createdAt)}` : "none"]] },
      ],
    },
    {
      title: "Personal data: PII-tagged features",
      blocks: [{ type: "table", columns: [{ label: "Model" }, { label: "Version" }, { label: "Stage" }, { label: "Feature" }, { label: "Kind" }, { label: "PII tag" }], rows: piiFeatures.map((f) => [f.model, f.version, f.stage, f.feature, f.kind, f.pii]), empty: "No feature of the scope's model versions is tagged as personal data (`pii` in the feature schema)." }],
    },
    {
      title: "Retention in force",
      blocks: [
        { type: "paragraph", text: `Source: ${orgRetention.source}. Days each store keeps its records before retention deletes them.` },
        { type: "table", columns: [{ label: "Store" }, { label: "Org (days)", numeric: true }, ...overridden.map(([name]) => ({ label: `${name} (days)`, numeric: true }))], rows: RETENTION_ROWS.map(([key, label]) => [label, orgRetention[key], ...overridden.map(([, r]) => r[key])]) },
      ],
    },
    {
      title: "Recipients and transfers",
      blocks: [{ type: "table", columns: [{ label: "Recipient" }, { label: "Data" }, { label: "Configured" }], rows: recipients.map((r) => [r.recipient, r.data, r.configured ? "yes" : "no"]) }],
    },
    {
      title: "Erasure requests (Art. 17) in the period",
      blocks: [
        {
          type: "table",
          columns: [{ label: "Requested (UTC)" }, { label: "Status" }, { label: "Model" }, { label: "Completed" }, { label: "Rows removed" }, { label: "Certificate SHA-256" }, { label: "Audit record", numeric: true }],
          rows: data.erasure_requests.map((e) => [formatTime(e.requested_at), e.status, e.model ?? "all models", formatTime(e.completed_at), e.removed ? Object.entries(e.removed).map(([k, v]) => `${k} ${formatNumber(v)}`).join(", ") : "—", e.certificate_sha256 ?? "—", e.audit_id]),
          empty: "No erasure request in the period.",
        },
      ],
    },
    {
      title: "Security measures (Art. 32)",
      blocks: [{ type: "paragraph", text: "API keys stored as SHA-256 hashes; sessions with CSRF tokens; every change recorded in a per-org SHA-256 hash chain (append-only, verified on demand and anchored in every report); PII-tagged features never echoed in samples; erasure certificates hashed and audited; TLS on every connection in production." }],
    },
  ];
  return { title: `GDPR Art. 30 record of processing: ${scopeText}`, subtitle: `${formatTime(range.from)} to ${formatTime(range.to)}`, data, sections };
}
