// The API shape of a value matrix (PUT/GET …/value-matrix). Which kind a body is follows
// from its keys (tp/fp/fn/tn, matrix, or per_unit/under/over), or from `kind` when given;
// every bad field is named. Values are in `currency` per prediction outcome: gains
// positive, losses negative.
import { z } from "@hono/zod-openapi";
import type { ValueMatrix } from "../../stats/impact/value.ts";
import { ApiError, type FieldIssue } from "../errors.ts";

const money = z.number().refine(Number.isFinite, "must be a finite number");
const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").describe("ISO 4217 currency code");

const Binary = z
  .object({
    kind: z.literal("binary").optional(),
    currency,
    tp: money.describe("value of a true positive"),
    fp: money.describe("value of a false positive"),
    fn: money.describe("value of a false negative"),
    tn: money.describe("value of a true negative"),
    positive_label: z.string().min(1).max(200).optional().describe("the positive class; default 1 / true"),
  })
  .strict();

const Multiclass = z
  .object({
    kind: z.literal("multiclass").optional(),
    currency,
    matrix: z.record(z.string().min(1).max(200), z.record(z.string().min(1).max(200), money)).describe("value keyed by actual label, then predicted label"),
  })
  .strict();

const Regression = z
  .object({
    kind: z.literal("regression").optional(),
    currency,
    per_unit: money.optional().describe("value per unit of absolute error (usually negative)"),
    under: money.optional().describe("value per unit when the prediction is below the actual"),
    over: money.optional().describe("value per unit when the prediction is above the actual"),
  })
  .strict();

export const ValueMatrixBody = z
  .union([Binary, Multiclass, Regression])
  .openapi("ValueMatrixInput", {
    example: { currency: "USD", tp: 120, fp: -15, fn: -300, tn: 0 },
    description: "Binary `{ currency, tp, fp, fn, tn, positive_label? }`; multiclass `{ currency, matrix: { <actual>: { <predicted>: value } } }`; regression `{ currency, per_unit }` or `{ currency, under, over }`.",
  });

export const ValueMatrixReply = z
  .object({
    model: z.string(),
    version: z.string(),
    kind: z.enum(["binary", "multiclass", "regression"]),
    currency: z.string(),
    matrix: z.record(z.string(), z.unknown()).describe("the matrix as stored: binary tp/fp/fn/tn(/positive_label), multiclass matrix, regression under/over"),
    updated_by: z.string(),
    updated_at: z.string(),
  })
  .openapi("ValueMatrix");

type Kind = ValueMatrix["kind"];

function kindOf(body: Record<string, unknown>): Kind | null {
  if (typeof body.kind === "string") return body.kind === "binary" || body.kind === "multiclass" || body.kind === "regression" ? body.kind : null;
  if ("matrix" in body) return "multiclass";
  if ("tp" in body || "fp" in body || "fn" in body || "tn" in body) return "binary";
  if ("per_unit" in body || "under" in body || "over" in body) return "regression";
  return null;
}

function issues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "(body)", error: i.message }));
}

/** The body as a ValueMatrix, or a 400 naming each bad field. */
export function parseValueMatrix(body: unknown): ValueMatrix {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "validation_failed", "body must be a JSON object", [{ field: "(body)", error: "expected an object" }]);
  const kind = kindOf(body as Record<string, unknown>);
  if (kind === null) {
    throw new ApiError(400, "validation_failed", "cannot tell the matrix's kind: give tp/fp/fn/tn (binary), matrix (multiclass) or per_unit / under+over (regression)", [
      { field: "kind", error: "expected binary, multiclass or regression" },
    ]);
  }
  const schema = kind === "binary" ? Binary : kind === "multiclass" ? Multiclass : Regression;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, "validation_failed", `invalid ${kind} value matrix`, issues(parsed.error));
  const v = parsed.data;
  if ("tp" in v) return { kind: "binary", currency: v.currency, tp: v.tp, fp: v.fp, fn: v.fn, tn: v.tn, ...(v.positive_label ? { positive_label: v.positive_label } : {}) };
  if ("matrix" in v) {
    if (Object.keys(v.matrix).length === 0) throw new ApiError(400, "validation_failed", "matrix must hold at least one actual label", [{ field: "matrix", error: "empty" }]);
    return { kind: "multiclass", currency: v.currency, matrix: v.matrix };
  }
  const r = v as z.infer<typeof Regression>;
  if (r.per_unit !== undefined && (r.under !== undefined || r.over !== undefined)) {
    throw new ApiError(400, "validation_failed", "give either per_unit or under and over, not both", [{ field: "per_unit", error: "set together with under/over" }]);
  }
  if (r.per_unit !== undefined) return { kind: "regression", currency: r.currency, under: r.per_unit, over: r.per_unit };
  if (r.under === undefined || r.over === undefined) {
    const missing = r.under === undefined ? "under" : "over";
    throw new ApiError(400, "validation_failed", "a regression matrix needs per_unit, or both under and over", [{ field: missing, error: "required" }]);
  }
  return { kind: "regression", currency: r.currency, under: r.under, over: r.over };
}
