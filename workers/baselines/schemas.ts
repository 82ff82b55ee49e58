// The documented shapes of PUT …/baseline: every body kind it takes (read by put-body.ts,
// not by the route's validator, since CSV and JSON Lines stream) and its reply.
import { z } from "@hono/zod-openapi";
import { baselineInfo } from "../../durable/protocol.ts";
import { Baseline } from "../registry/baselines.ts";
import { RangeBaselineBody, RangeCoverage } from "./range.ts";

export const UploadSummarySchema = z
  .object({
    format: z.enum(["csv", "jsonl", "json"]),
    rows: z.number().int(),
    features: z.array(z.string()).openapi({ description: "schema features profiled" }),
    omitted_features: z.array(z.string()).openapi({ description: "schema features the upload has no column for" }),
    ignored_columns: z.array(z.string()).openapi({ description: "upload columns neither in the schema nor `prediction`" }),
    prediction: z.boolean().openapi({ description: "whether a `prediction` column was profiled" }),
    calibration: z
      .union([z.object({ rows: z.number().int(), points: z.number().int() }), z.object({ reason: z.string() })])
      .nullable()
      .openapi({ description: "score calibration for the label-free performance estimate, fitted from `score` and binary `actual` columns: rows used and map points, or why none was fitted; null without those columns" }),
  })
  .openapi("BaselineUploadSummary");

const Labels = { name: z.string().optional(), note: z.string().optional() };
const Row = z.record(z.string(), z.unknown());

const csv = { schema: z.string().openapi({ description: "CSV with a header row", example: "age,region,prediction\n41,north,1\n37,\"south, coast\",0\n" }) };
const jsonLines = { schema: z.string().openapi({ description: "JSON Lines: one row object per line" }) };

/** The request body's media types, as read-upload.ts's uploadFormat accepts them. */
export const baselineBodyContent = {
  "text/csv": csv,
  "application/csv": csv,
  "application/x-ndjson": jsonLines,
  "application/ndjson": jsonLines,
  "application/jsonl": jsonLines,
  "application/x-jsonlines": jsonLines,
  "application/jsonlines": jsonLines,
  "application/json": {
    schema: z
      .union([
        z.array(Row).openapi({ description: "a reference dataset: one object per row" }),
        z.object({ profile: Row.openapi({ description: "a vigil.profile" }), ...Labels }),
        z.object({ rows: z.array(Row).min(1), ...Labels }),
        RangeBaselineBody,
      ])
      .openapi("BaselineBody"),
  },
};

// baselineInfo is plain zod (durable/protocol.ts, which may load before @hono/zod-openapi
// adds .openapi()), so its shape is rebuilt with this module's z.
export const BaselineReply = z
  .object({
    ...baselineInfo.shape,
    baseline_id: z.string().uuid(),
    baseline: Baseline,
    range: RangeCoverage.optional().openapi({ description: "with `from`/`to` only" }),
    dataset: UploadSummarySchema.optional().openapi({ description: "raw uploads (CSV, JSON Lines, JSON array) only" }),
  })
  .openapi("BaselineSet", { description: "The monitor's new baseline state (scoring restarts on it), the stored registry baseline, and what was profiled" });
