// Value matrices in Postgres (table value_matrices, one per model version), each change
// audited in the same transaction; and the check of a matrix against what the version
// predicts, so a matrix for labels the model never produces is refused with those labels
// named (422) instead of silently valuing nothing.
import { eq } from "drizzle-orm";
import { matrixLabels, missingCells, type ValueMatrix } from "../../stats/impact/value.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import type { Queryable } from "../db/queryable.ts";
import { valueMatrices } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";

export interface StoredValueMatrix {
  matrix: ValueMatrix;
  updatedBy: string;
  updatedAt: Date;
}

export async function getValueMatrix(db: Queryable, versionId: string): Promise<StoredValueMatrix | null> {
  const [row] = await db.select().from(valueMatrices).where(eq(valueMatrices.versionId, versionId)).limit(1);
  if (!row) return null;
  return { matrix: { ...row.matrix, kind: row.kind, currency: row.currency } as ValueMatrix, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/**
 * Refuses a matrix that does not fit the version: the wrong kind for its prediction kind,
 * a multiclass matrix missing cells, or labels the version is not known to produce
 * (`known`: the monitor's labels; empty when it has seen none, then only the shape counts).
 */
export function checkFit(record: ModelVersionRecord, matrix: ValueMatrix, known: readonly string[]): void {
  const kind = record.predictionKind;
  if (kind !== matrix.kind) {
    throw new ApiError(422, "matrix_kind_mismatch", `${record.model} ${record.version} predicts ${kind}, but this is a ${matrix.kind} value matrix`, [{ field: "kind", error: `expected a ${kind} matrix` }]);
  }
  if (matrix.kind === "multiclass") {
    const missing = missingCells(matrix.matrix);
    if (missing.length > 0) {
      throw new ApiError(422, "matrix_labels_mismatch", `the matrix must value every actual → predicted pair of its labels; missing: ${missing.slice(0, 20).join(", ")}`, { missing_cells: missing });
    }
    if (known.length > 0) {
      const labels = matrixLabels(matrix.matrix);
      const unknown = labels.filter((l) => !known.includes(l));
      const absent = known.filter((l) => !labels.includes(l));
      if (unknown.length > 0 || absent.length > 0) {
        const parts = [unknown.length ? `labels the version never produced: ${unknown.join(", ")}` : "", absent.length ? `labels the version produces that the matrix lacks: ${absent.join(", ")}` : ""].filter(Boolean);
        throw new ApiError(422, "matrix_labels_mismatch", `${parts.join("; ")} (known: ${known.join(", ")})`, { unknown_labels: unknown, missing_labels: absent, known_labels: [...known] });
      }
    }
  }
  if (matrix.kind === "binary" && matrix.positive_label !== undefined && known.length > 0 && !known.includes(matrix.positive_label)) {
    throw new ApiError(422, "matrix_labels_mismatch", `positive_label "${matrix.positive_label}" is not a label the version produces (known: ${known.join(", ")})`, {
      unknown_labels: [matrix.positive_label], known_labels: [...known],
    });
  }
}

const stored = (m: ValueMatrix): Record<string, unknown> => {
  const { kind: _kind, currency: _currency, ...rest } = m;
  return rest;
};

/** Stores the version's matrix and audits the change (before and after) in one transaction. */
export async function putValueMatrix(db: Database, actor: AuditActor, record: ModelVersionRecord, matrix: ValueMatrix): Promise<StoredValueMatrix> {
  return db.transaction(async (tx) => {
    const before = await getValueMatrix(tx, record.versionId);
    const now = new Date();
    const row = { versionId: record.versionId, orgId: record.orgId, kind: matrix.kind, currency: matrix.currency, matrix: stored(matrix), updatedBy: actor.id, updatedAt: now };
    await tx.insert(valueMatrices).values(row).onConflictDoUpdate({ target: valueMatrices.versionId, set: { kind: row.kind, currency: row.currency, matrix: row.matrix, updatedBy: row.updatedBy, updatedAt: now } });
    await recordAudit(tx, actor, {
      orgId: record.orgId,
      action: before ? "value_matrix.update" : "value_matrix.create",
      targetType: "model_version",
      targetId: record.versionId,
      ...(before ? { before: before.matrix } : {}),
      after: matrix,
      details: { model: record.model, version: record.version },
    });
    return { matrix, updatedBy: actor.id, updatedAt: now };
  });
}
