// The documented shapes of ingest's bodies and replies (POST /v1/ingest, /v1/actuals,
// /v1/outcomes), for the OpenAPI document. The server does not validate with them: it
// reads bodies itself (NDJSON, gzip, byte and structural limits) and rejects bad records
// one by one (validate-events.ts, validate-actuals.ts). So each bound here restates what
// that code accepts, from the same constants, and a body these schemas allow is one whose
// every record is accepted.
import { z } from "@hono/zod-openapi";
import { MAX_ACTUALS_PER_BATCH, MAX_EVENTS_PER_BATCH, MAX_ID_LENGTH, MAX_REJECTIONS_LISTED, MAX_STRING_LENGTH, MAX_SUBJECT_ID_LENGTH } from "./limits.ts";

/** Latest time parseTime accepts: the end of ECMAScript's date range. */
const MAX_TIME_MS = 8.64e15;

/** parse-body.ts nameField: non-empty after trimming, no ':' (it separates model and version in monitor names). */
export const NameField = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(/^[^:]*[^\s:][^:]*$/)
  .openapi({ description: `At most ${MAX_ID_LENGTH} characters, not blank, without ':'`, example: "credit-risk" });

const BatchId = z.string().min(1).max(MAX_ID_LENGTH).nullable().optional();
const Id = z.string().min(1).max(MAX_ID_LENGTH);
const Text = z.string().max(MAX_STRING_LENGTH);
/** validate-events.ts subjectIdProblem. */
const SubjectId = z
  .string()
  .min(1)
  .max(MAX_SUBJECT_ID_LENGTH)
  .nullable()
  .optional()
  .openapi({ description: "Pseudonymous id of the person the record is about; POST /v1/erasure removes every record naming it (docs/compliance.md)" });

/** validate-events.ts parseTime: an ISO 8601 time or Unix milliseconds; absent or null means the time of receipt. */
const EventTime = z
  .union([z.iso.datetime({ offset: true }), z.number().min(0).max(MAX_TIME_MS).openapi({ description: "Unix milliseconds" })])
  .nullable()
  .optional();

const Label = z.union([Text, z.number(), z.boolean()]);
const Probability = z.number().min(0).max(1);

export const IngestEvent = z
  .object({
    prediction_id: z.union([Id, z.number()]).openapi({ description: "Joins actuals to this prediction (kept 7 days); a number is read as its decimal string" }),
    timestamp: EventTime.openapi({
      description:
        "Prediction time: ISO 8601 with offset (e.g. `2026-11-26T10:00:00Z`) or Unix milliseconds; defaults to the time of receipt. Windows, volume and the label join follow this time; " +
        "a time after receipt counts at receipt, and an event older than 25 h is counted (`lateEvents`) but outside every live window.",
    }),
    features: z.record(z.string(), z.unknown()).openapi({
      description:
        "Feature values by name. A schema feature takes a number (numerical), a string, number or boolean (categorical; a bool feature only a boolean) or an array of exactly `dimension` finite numbers (embedding); null or absent is a missing value " +
        "(refused only for a feature declared `nullable: false`). Keys outside the schema are counted as unknown features, their values ignored.",
    }),
    prediction: Label,
    score: z
      .union([Probability, z.record(z.string(), Probability).openapi({ description: "Class probabilities (1 to 1,000 classes)", minProperties: 1, maxProperties: 1_000 })])
      .nullable()
      .optional(),
    latency_ms: z.number().min(0).nullable().optional(),
    segment: z.record(z.string(), Label).nullable().optional().openapi({
      description:
        "Dimension → value (e.g. `{ \"region\": \"eu\" }`), at most 50 keys; values are stored as strings. Each `dimension:value` is a segment: drift, data quality and performance are scored for the version's top-K segments by volume and `other` (docs/drift-tests.md, \"Segment drift\"; GET …/live?segment=region:eu).",
      maxProperties: 50,
    }),
    subject_id: SubjectId,
  })
  .openapi("IngestEvent");

export const IngestBody = z
  .object({
    model: NameField,
    version: NameField.openapi({ example: "v1" }),
    batch_id: BatchId.openapi({ description: "Idempotency key: a batch id seen in the last 24 h is a duplicate and counts nothing again" }),
    events: z.array(IngestEvent).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .openapi("IngestBatch");

export const Rejection = z
  .object({ index: z.number().int(), field: z.string(), error: z.string() })
  .openapi("IngestRejection", { description: "A record left out, by its index in the batch, with the field and what is wrong with it" });

const rejectedList = z.array(Rejection).openapi({ description: `At most ${MAX_REJECTIONS_LISTED} listed; \`rejected_count\` is exact` });

export const IngestReply = z
  .object({
    accepted: z.number().int().openapi({ description: "Events stored (for a duplicate: the events the first delivery stored)." }),
    rejected: rejectedList,
    rejected_count: z.number().int(),
    batch_id: z.string(),
    duplicate: z.boolean().openapi({ description: "The batch id was already accepted in the last 24 h; nothing was counted again." }),
    registered: z
      .object({ model: z.string(), version: z.string(), feature_schema: z.array(z.unknown()) })
      .optional()
      .openapi({ description: "Present when this call registered the version, with the schema inferred from the batch." }),
  })
  .openapi("IngestReply");

export const ActualsBody = z
  .object({
    model: NameField,
    version: NameField.openapi({ example: "v1" }),
    actuals: z
      .array(
        z.object({
          prediction_id: Id,
          actual: Label.openapi({ description: "The true label (or value) of the prediction" }),
          timestamp: EventTime.openapi({ description: "When the actual became known: ISO 8601 with offset or Unix milliseconds; defaults to the time of receipt" }),
          subject_id: SubjectId,
        }),
      )
      .min(1)
      .max(MAX_ACTUALS_PER_BATCH),
  })
  .openapi("ActualsBatch");

export const ActualsReply = z
  .object({
    matched: z.number().int(),
    unmatched: z.number().int(),
    already_labeled: z.number().int(),
    unmatched_ids: z.array(z.string()).openapi({ description: "The first unmatched prediction ids" }),
    rejected: rejectedList,
    rejected_count: z.number().int(),
  })
  .openapi("ActualsReply");

export const OutcomesBody = z
  .object({
    model: NameField,
    version: NameField.optional().openapi({ description: "the version the outcomes belong to; when omitted, an outcome with a prediction_id is joined to the version holding that prediction, and one without is attributed by time" }),
    batch_id: BatchId.openapi({ description: "A batch re-sent with the same id adds no rows" }),
    outcomes: z
      .array(
        z.object({
          prediction_id: Id.nullable().optional(),
          timestamp: EventTime.openapi({ description: "ISO 8601 with offset or Unix milliseconds; defaults to the time of receipt" }),
          kpi: z.string().min(1).max(200),
          value: z.number(),
          subject_id: SubjectId,
          segment: z.record(z.string(), z.string()).optional().openapi({ description: "the segment the outcome belongs to, e.g. { \"region\": \"north\" } (at most 20 keys)" }),
        }),
      )
      .min(1)
      .max(MAX_ACTUALS_PER_BATCH),
  })
  .openapi("OutcomesBatch");

export const OutcomesReply = z
  .object({
    accepted: z.number().int(),
    joined: z.number().int().openapi({ description: "outcomes whose prediction_id joined a stored prediction (attributed to its version)" }),
    unmatched: z.number().int().openapi({ description: "outcomes with a prediction_id no version holds (kept, attributed by time)" }),
    rejected: rejectedList,
    rejected_count: z.number().int(),
  })
  .openapi("OutcomesReply");
