// Records an erasure request and its audit entry in one transaction. The model, when
// given, must exist in the org (404 otherwise, like every model route).
import type { AuditActor } from "../audit/record.ts";
import { recordAudit } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/client.ts";
import { loadModel } from "../registry/models.ts";
import { targetDigest } from "./certificate.ts";
import type { ErasureBody } from "./request-body.ts";
import { insertRequest, type ErasureRow } from "./requests.ts";

export async function createErasure(db: Database, p: Principal, actor: AuditActor, body: ErasureBody): Promise<ErasureRow> {
  if (body.model !== undefined) await loadModel(db, p, body.model, "admin");
  const target = await targetDigest(body);
  return db.transaction(async (tx) => {
    const row = await insertRequest(tx, {
      orgId: p.orgId,
      model: body.model ?? null,
      subjectId: body.subject_id ?? null,
      predictionIds: body.prediction_ids ? [...new Set(body.prediction_ids)] : null,
      target,
      requestedBy: { type: actor.type, id: actor.id },
    });
    await recordAudit(tx, actor, { orgId: p.orgId, action: "erasure.requested", targetType: "erasure_request", targetId: row.id, details: { target } });
    return row;
  });
}
