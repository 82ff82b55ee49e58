// What POST /v1/erasure takes and what GET answers (the OpenAPI shapes and the
// server's validation are one zod schema). Exactly one of subject_id and prediction_ids.
import { z } from "@hono/zod-openapi";
import { MAX_ID_LENGTH, MAX_SUBJECT_ID_LENGTH } from "../ingest/limits.ts";
import { NameField } from "../ingest/schemas.ts";
import { PageQuery } from "../registry/pagination.ts";

/** Prediction ids one request may list (a subject's are found by subject_id instead). */
export const MAX_ERASURE_PREDICTION_IDS = 10_000;

export const ErasureBody = z
  .object({
    subject_id: z.string().min(1).max(MAX_SUBJECT_ID_LENGTH).optional().openapi({ description: "Erase every record naming this data subject" }),
    prediction_ids: z
      .array(z.string().min(1).max(MAX_ID_LENGTH))
      .min(1)
      .max(MAX_ERASURE_PREDICTION_IDS)
      .optional()
      .openapi({ description: `Erase these predictions and what is linked to them (at most ${MAX_ERASURE_PREDICTION_IDS})` }),
    model: NameField.optional().openapi({ description: "Only this model's versions (default: every model of the org)" }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.subject_id === undefined) === (body.prediction_ids === undefined)) {
      ctx.addIssue({ code: "custom", path: [body.subject_id === undefined ? "subject_id" : "prediction_ids"], message: "give exactly one of subject_id and prediction_ids" });
    }
  })
  .openapi("ErasureRequestBody");

export type ErasureBody = z.infer<typeof ErasureBody>;

export const ErasureStatus = z.enum(["pending", "running", "done", "failed"]);

const Removed = z.record(z.string(), z.number().int()).openapi({
  description: "Rows removed per store: predictions, actuals and baseline_events (Durable Objects), outcomes (Postgres), redis. Partial while running.",
  example: { predictions: 3, actuals: 1, baseline_events: 0, outcomes: 2, redis: 0 },
});

export const ErasureView = z
  .object({
    id: z.string().uuid(),
    status: ErasureStatus,
    model: z.string().nullable(),
    target: z.record(z.string(), z.unknown()).openapi({ description: "What was asked, as SHA-256 digests (the ids themselves are not kept once the request finishes)" }),
    requested_by: z.object({ type: z.string(), id: z.string() }),
    requested_at: z.string(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    removed: Removed,
    certificate: z
      .object({
        sha256: z.string().openapi({ description: "SHA-256 of the document's canonical JSON (sorted keys), also written to the audit log" }),
        audit_id: z.number().int().nullable(),
        document: z.record(z.string(), z.unknown()),
      })
      .nullable(),
    error: z.string().nullable().openapi({ description: "Why a failed request could not finish; for an unfinished one, the last interruption (it resumes)" }),
  })
  .openapi("ErasureRequest");

export const ErasureCreated = z.object({ id: z.string().uuid(), status: z.literal("pending") }).openapi("ErasureCreated");

export const ErasureListQuery = PageQuery.extend({ status: ErasureStatus.optional() });
