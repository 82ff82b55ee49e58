// The `segment` query parameter of GET …/live and GET …/metrics: a tracked segment's key,
// dimension:value (stats/streaming/segments.ts), or "other".
import { z } from "@hono/zod-openapi";
import { parseSegmentKey } from "../../stats/streaming/segments.ts";
import { ApiError } from "../errors.ts";

/** `?segment=dimension:value` (or `other`): one segment's windows; docs/drift-tests.md "Segment drift". */
export const SegmentQuery = z.object({
  segment: z.string().max(401).optional().openapi({
    description: "A tracked segment's key, `dimension:value` (e.g. `region:eu`; split at the first ':'), or `other`: that segment's windows in the same shape. 400 when malformed, 404 when the monitor does not track it.",
    example: "region:eu",
  }),
});

/** The segment key of `?segment=`, checked (400 naming `segment`); undefined without one. */
export function segmentParam(segment: string | undefined): string | undefined {
  if (segment === undefined || segment === "other") return segment;
  const parsed = parseSegmentKey(segment);
  if ("error" in parsed) throw new ApiError(400, "validation_failed", `invalid query: segment: ${parsed.error}`, [{ field: "segment", error: parsed.error }]);
  return segment;
}
