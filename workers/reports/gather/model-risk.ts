// The model-risk report: one document for an SR 11-7 style review of a model. Identity
// and ownership; every version with its stage history, baselines and thresholds; the
// alert rules and the alerts open during the range with what people wrote on them; each
// version's drift and performance as its monitor last summarised them (the 24h window
// at the end of the range); and the approvals and electronic signatures of its changes.
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { alertActivity, alertRules, alerts, approvals, baselines, monitorAggregates, signatures, stageTransitions } from "../../db/schema/index.ts";
import type { Gathered, Section } from "../document.ts";
import { formatNumber, formatPercent, formatTime } from "../render/format.ts";
import { versionsOf } from "../scope.ts";
import type { GatherContext } from "./context.ts";
import { iso } from "./context.ts";

export async function gatherModelRisk(ctx: GatherContext): Promise<Gathered> {
  const { db, scope, range } = ctx;
  const model = scope.model!;
  const allVersions = await versionsOf(db, model.id);
  const versions = scope.version ? allVersions.filter((v) => v.id === scope.version!.versionId) : allVersions;
  const versionIds = versions.map((v) => v.id);
  const none = versionIds.length === 0;
  const [transitions, baselineRows, rules, alertRows, approvalRows, signatureRows, latest] = await Promise.all([
    none ? [] : db.select().from(stageTransitions).where(inArray(stageTransitions.versionId, versionIds)).orderBy(asc(stageTransitions.id)),
    none ? [] : db.select({ id: baselines.id, versionId: baselines.versionId, name: baselines.name, active: baselines.active, createdBy: baselines.createdBy, createdAt: baselines.createdAt, rows: sql<number>`(${baselines.profile}->>'rows')::bigint` }).from(baselines).where(inArray(baselines.versionId, versionIds)).orderBy(asc(baselines.createdAt)),
    db.select().from(alertRules).where(and(eq(alertRules.modelId, model.id), scope.version ? or(isNull(alertRules.modelVersionId), eq(alertRules.modelVersionId, scope.version.versionId)) : undefined)).orderBy(asc(alertRules.createdAt)),
    // Open at some point in the range: opened before its end, not resolved before its start.
    db.select().from(alerts).where(and(eq(alerts.modelId, model.id), scope.version ? eq(alerts.version, scope.version.version) : undefined, lte(alerts.openedAt, range.to), or(isNull(alerts.resolvedAt), gte(alerts.resolvedAt, range.from)))).orderBy(asc(alerts.openedAt)).limit(500),
    db.select().from(approvals).where(and(eq(approvals.orgId, scope.orgId), eq(approvals.model, model.name), scope.version ? eq(approvals.version, scope.version.version) : undefined)).orderBy(asc(approvals.createdAt)),
    db.select({ s: signatures, model: approvals.model, version: approvals.version }).from(signatures).innerJoin(approvals, eq(approvals.id, signatures.approvalId)).where(and(eq(signatures.orgId, scope.orgId), eq(approvals.model, model.name), scope.version ? eq(approvals.version, scope.version.version) : undefined)).orderBy(asc(signatures.signedAt)),
    Promise.all(versions.map(async (v) => {
      const [point] = await db.select().from(monitorAggregates).where(and(eq(monitorAggregates.orgId, scope.orgId), eq(monitorAggregates.model, model.name), eq(monitorAggregates.version, v.version), eq(monitorAggregates.window, "24h"), lte(monitorAggregates.at, range.to))).orderBy(desc(monitorAggregates.at)).limit(1);
      return [v.version, point ?? null] as const;
    })),
  ]);
  const activity = alertRows.length ? await db.select().from(alertActivity).where(inArray(alertActivity.alertId, alertRows.map((a) => a.id))).orderBy(asc(alertActivity.at)) : [];
  const latestBy = new Map(latest);

  const versionData = versions.map((v) => {
    const point = latestBy.get(v.version) ?? null;
    const summary = (point?.summary ?? {}) as { performance?: { labeled?: number; metrics?: Record<string, number> } | null };
    return {
      version: v.version,
      stage: v.stage,
      created_at: iso(v.createdAt),
      description: v.description,
      owners: v.owners,
      thresholds: v.thresholds,
      features: (v.featureSchema as Array<{ name: string; kind: string; pii?: string }>).map((f) => ({ name: f.name, kind: f.kind, pii: f.pii ?? null })),
      stage_history: transitions.filter((t) => t.versionId === v.id).map((t) => ({ at: iso(t.at), from: t.fromStage, to: t.toStage, actor: t.actor, note: t.note })),
      baselines: baselineRows.filter((b) => b.versionId === v.id).map((b) => ({ id: b.id, name: b.name, active: b.active, rows: Number(b.rows), created_by: b.createdBy, created_at: iso(b.createdAt) })),
      monitoring: point ? { at: iso(point.at), window: "24h", rows: point.rows, drift_share: point.driftShare, drifted_features: point.driftedFeatures, performance: summary.performance ?? null } : null,
    };
  });
  const alertData = alertRows.map((a) => ({
    id: a.id, rule: a.ruleName, kind: a.ruleKind, severity: a.severity, version: a.version, status: a.status, summary: a.summary,
    opened_at: iso(a.openedAt), acknowledged_at: iso(a.acknowledgedAt), acknowledged_by: a.acknowledgedBy, resolved_at: iso(a.resolvedAt), resolved_by: a.resolvedBy,
    notes: activity.filter((x) => x.alertId === a.id && x.note).map((x) => ({ at: iso(x.at), action: x.action, actor: `${x.actorType}:${x.actorId}`, note: x.note })),
  }));
  const data = {
    model: { name: model.name, description: model.description, project: scope.project?.slug ?? null, prediction_kind: model.predictionKind, owners: model.owners, tags: model.tags, created_at: iso(model.createdAt) },
    versions: versionData,
    alert_rules: rules.map((r) => ({ id: r.id, name: r.name, severity: r.severity, window: r.window, condition: r.condition, for_evaluations: r.forEvaluations, enabled: r.enabled, version: versions.find((v) => v.id === r.modelVersionId)?.version ?? null })),
    alerts: alertData,
    alert_counts: { in_range: alertData.length, open_at_end: alertData.filter((a) => a.resolved_at === null || Date.parse(a.resolved_at) > range.to.getTime()).length },
    approvals: approvalRows.map((a) => ({ id: a.id, action: a.action, version: a.version, status: a.status, required: a.required, record_sha256: a.recordSha256, created_at: iso(a.createdAt), completed_at: iso(a.completedAt) })),
    signatures: signatureRows.map(({ s, version }) => ({ id: s.id, approval_id: s.approvalId, action: s.action, version, signer: `${s.signerName} <${s.signerEmail}>`, meaning: s.meaning, signed_at: iso(s.signedAt), record_sha256: s.recordSha256, audit_id: s.auditId })),
  };
  const prod = versionData.filter((v) => v.stage === "production").map((v) => v.version);
  const sections: Section[] = [
    {
      title: "Model identity",
      blocks: [
        { type: "facts", rows: [["Model", model.name], ["Description", model.description || "—"], ["Project", scope.project?.slug ?? "—"], ["Prediction kind", model.predictionKind], ["Owners", model.owners.join(", ") || "none recorded"], ["Tags", Object.entries(model.tags).map(([k, val]) => `${k}=${val}`).join(", ") || "—"], ["Registered", formatTime(model.createdAt)], ["In production", prod.join(", ") || "no version"], ["Review period", `${formatTime(range.from)} to ${formatTime(range.to)}`]] },
        { type: "paragraph", tone: data.alert_counts.open_at_end > 0 ? "bad" : "good", text: `${data.alert_counts.in_range} alert(s) were open during the period; ${data.alert_counts.open_at_end} still open at its end. ${data.signatures.length} electronic signature(s) on record for this model.` },
      ],
    },
    {
      title: "Versions and stages",
      blocks: [
        { type: "table", columns: [{ label: "Version" }, { label: "Stage" }, { label: "Created" }, { label: "Owners" }, { label: "Active baseline" }, { label: "Features", numeric: true }, { label: "PII-tagged" }], rows: versionData.map((v) => [v.version, v.stage, formatTime(v.created_at), v.owners.join(", ") || "—", v.baselines.find((b) => b.active)?.name ?? "none (first events, or none)", v.features.length, v.features.filter((f) => f.pii).map((f) => `${f.name} (${f.pii})`).join(", ") || "—"]), empty: "The model has no version." },
        { type: "table", caption: "Stage history", columns: [{ label: "Version" }, { label: "When" }, { label: "From" }, { label: "To" }, { label: "By" }, { label: "Note" }], rows: versionData.flatMap((v) => v.stage_history.map((t) => [v.version, formatTime(t.at), t.from ?? "—", t.to, t.actor, t.note || "—"])), empty: "No stage change recorded." },
        { type: "table", caption: "Baselines", columns: [{ label: "Version" }, { label: "Name" }, { label: "Active" }, { label: "Rows", numeric: true }, { label: "Set by" }, { label: "Set at" }], rows: versionData.flatMap((v) => v.baselines.map((b) => [v.version, b.name, b.active ? "yes" : "no", b.rows, b.created_by, formatTime(b.created_at)])), empty: "No baseline in the registry." },
        { type: "table", caption: "Per-feature thresholds", columns: [{ label: "Version" }, { label: "Feature" }, { label: "Thresholds" }], rows: versionData.flatMap((v) => Object.entries(v.thresholds).map(([f, t]) => [v.version, f, JSON.stringify(t)])), empty: "No per-feature thresholds configured." },
      ],
    },
    {
      title: "Drift and performance",
      blocks: [
        { type: "table", caption: "Each version's last 24-hour window summary at or before the end of the period", columns: [{ label: "Version" }, { label: "As of" }, { label: "Events", numeric: true }, { label: "Drift share", numeric: true }, { label: "Drifted features", numeric: true }, { label: "Labelled", numeric: true }, { label: "Metrics" }], rows: versionData.map((v) => v.monitoring ? [v.version, formatTime(v.monitoring.at), v.monitoring.rows, v.monitoring.drift_share === null ? null : formatPercent(v.monitoring.drift_share), v.monitoring.drifted_features, v.monitoring.performance?.labeled ?? null, Object.entries(v.monitoring.performance?.metrics ?? {}).slice(0, 4).map(([k, val]) => `${k} ${formatNumber(val)}`).join(", ") || "—"] : [v.version, "no history", null, null, null, null, "—"]) },
      ],
    },
    {
      title: "Alerts",
      blocks: [
        { type: "table", caption: "Alert rules", columns: [{ label: "Rule" }, { label: "Severity" }, { label: "Window" }, { label: "Version" }, { label: "Condition" }, { label: "Enabled" }], rows: data.alert_rules.map((r) => [r.name, r.severity, r.window, r.version ?? "all", JSON.stringify(r.condition), r.enabled ? "yes" : "no"]), empty: "No alert rule watches this model." },
        { type: "table", caption: "Alerts open during the period, with their notes", columns: [{ label: "Opened" }, { label: "Rule" }, { label: "Severity" }, { label: "Version" }, { label: "Status" }, { label: "Resolved" }, { label: "Notes" }], rows: alertData.map((a) => [formatTime(a.opened_at), a.rule, a.severity, a.version, a.status, a.resolved_at ? `${formatTime(a.resolved_at)} by ${a.resolved_by ?? "—"}` : "—", a.notes.map((n) => `${formatTime(n.at)} ${n.actor}: ${n.note}`).join(" | ") || "—"]), empty: "No alert was open during the period." },
      ],
    },
    {
      title: "Approvals and signatures",
      blocks: [
        { type: "table", caption: "Approvals (changes that needed signatures)", columns: [{ label: "Created" }, { label: "Action" }, { label: "Version" }, { label: "Status" }, { label: "Required", numeric: true }, { label: "Record SHA-256" }], rows: data.approvals.map((a) => [formatTime(a.created_at), a.action, a.version, a.status, a.required, a.record_sha256]), empty: "No approval on record (the org's signature policy may not require any)." },
        { type: "table", caption: "Electronic signatures (21 CFR Part 11)", columns: [{ label: "Signed" }, { label: "Signer" }, { label: "Meaning" }, { label: "Action" }, { label: "Version" }, { label: "Audit record", numeric: true }], rows: data.signatures.map((s) => [formatTime(s.signed_at), s.signer, s.meaning, s.action, s.version, s.audit_id]), empty: "No signature on record." },
      ],
    },
  ];
  return { title: `Model risk summary: ${model.name}${scope.version ? ` ${scope.version.version}` : ""}`, subtitle: `SR 11-7 review record, ${formatTime(range.from)} to ${formatTime(range.to)}`, data, sections };
}
