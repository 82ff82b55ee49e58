// The audit-trail report (SOX ITGC, 21 CFR Part 11 §11.10(e)): every change recorded in
// the range for the org, a project or a model, oldest first, with actor, action, target,
// before/after and reason (the record's note), the electronic signatures given in the
// range, and the chain's verification. Records belong to a model when they target it,
// one of its versions, baselines, alert rules, alerts or reports, or name it in their
// details; to a project when they target it or one of its models. The report lists them
// all or refuses (422 too_many_records): a trail with a hole is not evidence.
import { and, asc, count, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../db/queryable.ts";
import { alertRules, alerts, approvals, auditLog, baselines, modelVersions, models, reports, signatures } from "../../db/schema/index.ts";
import { ApiError } from "../../errors.ts";
import type { Gathered } from "../document.ts";
import { formatTime } from "../render/format.ts";
import { MAX_AUDIT_RECORDS } from "../request.ts";
import type { GatherContext } from "./context.ts";
import { iso } from "./context.ts";

/** Target ids (as text) of everything that belongs to these models. */
function ownedTargets(modelIds: SQL): SQL {
  return sql`(
    select ${models.id}::text from ${models} where ${models.id} in ${modelIds}
    union all select ${modelVersions.id}::text from ${modelVersions} where ${modelVersions.modelId} in ${modelIds}
    union all select ${baselines.id}::text from ${baselines} join ${modelVersions} on ${modelVersions.id} = ${baselines.versionId} where ${modelVersions.modelId} in ${modelIds}
    union all select ${alertRules.id}::text from ${alertRules} where ${alertRules.modelId} in ${modelIds}
    union all select ${alerts.id}::text from ${alerts} where ${alerts.modelId} in ${modelIds}
    union all select ${reports.id}::text from ${reports} where ${reports.model} in (select ${models.name} from ${models} where ${models.id} in ${modelIds})
  )`;
}

function scopeCondition(ctx: GatherContext): SQL | undefined {
  const { scope } = ctx;
  if (scope.model) {
    const ids = sql`(select ${scope.model.id}::uuid)`;
    const named = or(sql`${auditLog.details}->>'model' = ${scope.model.name}`, sql`${auditLog.details}->'after'->>'model' = ${scope.model.name}`);
    return or(sql`${auditLog.targetId} in ${ownedTargets(ids)}`, named);
  }
  if (scope.project) {
    const ids = sql`(select ${models.id} from ${models} where ${models.projectId} = ${scope.project.id})`;
    const names = sql`(select ${models.name} from ${models} where ${models.projectId} = ${scope.project.id})`;
    return or(eq(auditLog.targetId, scope.project.id), sql`${auditLog.targetId} in ${ownedTargets(ids)}`, sql`${auditLog.details}->>'model' in ${names}`);
  }
  return undefined;
}

async function signaturesIn(db: Queryable, ctx: GatherContext) {
  const { scope, range } = ctx;
  const modelNames = scope.model ? [scope.model.name] : scope.project ? (await db.select({ name: models.name }).from(models).where(eq(models.projectId, scope.project.id))).map((m) => m.name) : null;
  if (modelNames && modelNames.length === 0) return [];
  return db
    .select({ s: signatures, model: approvals.model, version: approvals.version })
    .from(signatures)
    .innerJoin(approvals, eq(approvals.id, signatures.approvalId))
    .where(and(eq(signatures.orgId, scope.orgId), gte(signatures.signedAt, range.from), lt(signatures.signedAt, range.to), modelNames ? inArray(approvals.model, modelNames) : undefined))
    .orderBy(asc(signatures.signedAt));
}

const compact = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));

export async function gatherAuditTrail(ctx: GatherContext): Promise<Gathered> {
  const { db, scope, range } = ctx;
  const where = and(eq(auditLog.orgId, scope.orgId), gte(auditLog.at, range.from), lt(auditLog.at, range.to), scopeCondition(ctx));
  const [{ n }] = (await db.select({ n: count() }).from(auditLog).where(where)) as [{ n: number }];
  if (n > MAX_AUDIT_RECORDS) {
    const error = `the range holds ${n.toLocaleString("en-US")} audit records; an audit-trail report lists at most ${MAX_AUDIT_RECORDS.toLocaleString("en-US")}: narrow the range or the scope (GET /v1/audit?format=jsonl exports any number)`;
    throw new ApiError(422, "too_many_records", `from: ${error}`, [{ field: "from", error }]);
  }
  const [records, signed] = await Promise.all([db.select().from(auditLog).where(where).orderBy(asc(auditLog.id)), signaturesIn(db, ctx)]);
  const a = ctx.anchor;
  const entries = records.map((r) => {
    const { before, after, note, request_id, ip, ...rest } = r.details as Record<string, unknown>;
    return { id: r.id, at: iso(r.at)!, actor: { type: r.actorType, id: r.actorId }, action: r.action, target: { type: r.targetType, id: r.targetId }, before: before ?? null, after: after ?? null, reason: typeof note === "string" ? note : null, request_id: request_id ?? null, ip: ip ?? null, details: rest, hash: r.hash, prev_hash: r.prevHash };
  });
  const byAction = new Map<string, number>();
  for (const e of entries) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
  const scopeText = scope.model ? `model ${scope.model.name}` : scope.project ? `project ${scope.project.slug}` : "the whole org";
  const data = {
    scope: { project: scope.project?.slug ?? null, model: scope.model?.name ?? null },
    chain_verification: { ok: a.chain_ok, checked: a.checked, last_hash: a.last_hash, record_id: a.record_id },
    records: entries,
    signatures: signed.map(({ s, model, version }) => ({ id: s.id, signed_at: iso(s.signedAt), signer: { name: s.signerName, email: s.signerEmail }, meaning: s.meaning, action: s.action, model, version, record_sha256: s.recordSha256, audit_id: s.auditId, audit_hash: s.auditHash })),
    counts: Object.fromEntries(byAction),
  };
  return {
    title: `Audit trail: ${scopeText}`,
    subtitle: `Every recorded change from ${formatTime(range.from)} to ${formatTime(range.to)}`,
    data,
    sections: [
      {
        title: "Chain verification",
        blocks: [
          { type: "paragraph", tone: a.chain_ok ? "good" : "bad", text: a.chain_ok ? `The org's hash chain verified intact: ${a.checked} records recomputed, ending at record ${a.record_id ?? "—"} with hash ${a.last_hash}.` : `The org's hash chain is BROKEN after record ${a.record_id ?? "—"} (hash ${a.last_hash}): records after it may have been altered. GET /v1/audit/verify names the first broken link.` },
          { type: "paragraph", text: `${entries.length} record(s) in the range for ${scopeText}. Each record's hash covers its content and the previous record's hash (SHA-256, docs/audit.md).` },
          { type: "table", caption: "Records by action", columns: [{ label: "Action" }, { label: "Records", numeric: true }], rows: [...byAction.entries()].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, v]), empty: "No record in the range." },
        ],
      },
      {
        title: "Changes",
        blocks: [
          {
            type: "table",
            columns: [{ label: "Id", numeric: true }, { label: "Time (UTC)" }, { label: "Actor" }, { label: "Action" }, { label: "Target" }, { label: "Before → after" }, { label: "Reason" }],
            rows: entries.map((e) => [e.id, formatTime(e.at), `${e.actor.type}:${e.actor.id}`, e.action, `${e.target.type}:${e.target.id}`, e.before === null && e.after === null ? compact(e.details).slice(0, 300) || "—" : `${compact(e.before).slice(0, 150) || "—"} → ${compact(e.after).slice(0, 150) || "—"}`, e.reason ?? "—"]),
            empty: "No change was recorded in the range.",
          },
        ],
      },
      {
        title: "Electronic signatures",
        blocks: [
          { type: "table", columns: [{ label: "Signed (UTC)" }, { label: "Signer" }, { label: "Meaning" }, { label: "Action" }, { label: "Model version" }, { label: "Audit record", numeric: true }], rows: data.signatures.map((s) => [formatTime(s.signed_at), `${s.signer.name} <${s.signer.email}>`, s.meaning, s.action, `${s.model} ${s.version}`, s.audit_id]), empty: "No signature was given in the range." },
        ],
      },
    ],
  };
}
