// PUT …/baseline with `{ "from": …, "to": … }`: freeze a range of production traffic as
// the baseline. The version's monitor merges its stored sketches over the range
// (durable/monitor/range.ts); the route stores the profile and pushes it back the same
// way an uploaded one goes (put-body.ts).
import { z } from "@hono/zod-openapi";
import { RANGE_RETENTION_MS } from "../../durable/monitor/range.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";

/** How far past the server's clock `to` may lie (client clock skew). */
export const RANGE_SKEW_MS = 60_000;
const DAY_MS = 24 * 3_600_000;

const RangeTime = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .openapi({ description: "ISO 8601 with offset (e.g. `2026-11-25T00:00:00Z`) or Unix milliseconds", example: "2026-11-25T00:00:00Z" });

export const RangeBaselineBody = z
  .object({
    from: RangeTime,
    to: RangeTime,
    name: z.string().optional().openapi({ description: "default `production <covered from> – <covered to>`" }),
    note: z.string().optional().openapi({ description: "appended to the audit note" }),
  })
  .openapi("RangeBaselineBody");

export const RangeCoverage = z
  .object({
    requested_from: z.string(),
    requested_to: z.string(),
    covered_from: z.string().openapi({ description: "start of the first merged bucket that held counted traffic" }),
    covered_to: z.string().openapi({ description: "end of the last one (at most now)" }),
    rows: z.number().int().openapi({ description: "events the baseline summarizes" }),
    events: z.number().int().openapi({ description: "events received in the merged buckets; more than rows when part of the range predates the current baseline" }),
    minute_buckets: z.number().int(),
    hour_buckets: z.number().int(),
    omitted_features: z.array(z.string()).openapi({ description: "features with no usable value in the range, left out" }),
    rank_error: z.number().openapi({ description: "KLL normalized rank error of the numerical bins (99% confidence; 0 when exact)" }),
  })
  .openapi("RangeCoverage");

export interface FrozenRange {
  profile: Profile;
  name: string;
  note: string;
  range: z.infer<typeof RangeCoverage>;
}

/** A body that asks for a range rather than uploading a profile or rows. */
export function isRangeBody(body: Record<string, unknown>): boolean {
  return "from" in body || "to" in body;
}

function parseTime(field: "from" | "to", value: unknown): number {
  const bad = (error: string) => new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
  if (value === undefined || value === null) throw bad("required");
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw bad("must be an ISO 8601 time or a non-negative integer of Unix milliseconds");
    if (value < 1e11) throw bad(`must be Unix milliseconds; ${value} looks like seconds`);
    return value;
  }
  if (typeof value === "string" && z.iso.datetime({ offset: true }).safeParse(value).success) return Date.parse(value);
  throw bad("must be an ISO 8601 time with an offset (e.g. 2026-11-25T00:00:00Z) or Unix milliseconds");
}

/** The validated range, Unix ms: 400 names the bad field, 422 a range past the retention. */
export function parseRange(body: Record<string, unknown>, now: number): { from: number; to: number } {
  const from = parseTime("from", body.from);
  const to = parseTime("to", body.to);
  if (from >= to) throw new ApiError(400, "validation_failed", "from: must be before to", [{ field: "from", error: "must be before to" }]);
  if (to > now + RANGE_SKEW_MS) {
    const error = `is in the future (the server's clock reads ${new Date(now).toISOString()}; ${RANGE_SKEW_MS / 1000} s of skew allowed)`;
    throw new ApiError(400, "validation_failed", `to: ${error}`, [{ field: "to", error }]);
  }
  const oldest = now - RANGE_RETENTION_MS;
  if (from < oldest) {
    const error = `is older than the ${RANGE_RETENTION_MS / DAY_MS}-day retention of hourly roll-ups; the earliest from is ${new Date(oldest).toISOString()}`;
    throw new ApiError(422, "range_out_of_retention", `from: ${error}`, [{ field: "from", error }]);
  }
  return { from, to };
}

/** Asks the version's monitor for the profile of [from, to); 422 when nothing there can be frozen. */
export async function freezeRange(env: Bindings, orgId: string, model: string, version: string, body: Record<string, unknown>, now: number): Promise<FrozenRange> {
  for (const field of ["profile", "rows"]) {
    if (body[field] !== undefined) {
      const error = `give either "from"/"to" (freeze production traffic) or "${field}", not both`;
      throw new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
    }
  }
  const { from, to } = parseRange(body, now);
  const result = await monitorStub(env, orgId, model, version).profileForRange(from, to);
  if (!result.ok) throw new ApiError(422, result.reason, result.message, { events: result.events });
  const iso = (t: number) => new Date(t).toISOString();
  const range: FrozenRange["range"] = {
    requested_from: iso(from),
    requested_to: iso(to),
    covered_from: iso(result.coveredFrom),
    covered_to: iso(result.coveredTo),
    rows: result.rows,
    events: result.events,
    minute_buckets: result.minutes,
    hour_buckets: result.hours,
    omitted_features: result.omitted,
    rank_error: result.rankError,
  };
  const resolution = result.hours > 0 ? (result.minutes > 0 ? "hour and minute" : "hour") : "minute";
  const summary =
    `frozen from production traffic ${range.covered_from} to ${range.covered_to} (requested ${range.requested_from} to ${range.requested_to}, ${resolution} resolution): ` +
    `${result.rows} rows` +
    (result.events > result.rows ? ` (${result.events - result.rows} more events in range arrived before the baseline they would count against)` : "") +
    (result.omitted.length ? `; left out for lack of values: ${result.omitted.join(", ")}` : "");
  const userNote = typeof body.note === "string" && body.note.trim() ? ` — ${body.note.trim()}` : "";
  const name = typeof body.name === "string" && body.name.trim() ? body.name.trim() : `production ${range.covered_from} – ${range.covered_to}`;
  return { profile: result.profile, name, note: `${summary}${userNote}`.slice(0, 2_000), range };
}
