// Monitoring history and baselines of a model version:
//   GET /v1/models/{model}/versions/{version}/metrics?from&to&window=  (Postgres history)
//   PUT /v1/models/{model}/versions/{version}/baseline                  (pushed to the monitor;
//       a profile, reference rows, or { from, to }: production traffic, baseline-range.ts)
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gte, lte } from "drizzle-orm";
import { readProfile } from "../../stats/profile/io.ts";
import { buildProfile } from "../../stats/profile/build.ts";
import { authorize } from "../auth/authenticate.ts";
import { featureScores, monitorAggregates } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { objectBody } from "../ingest/parse-body.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { Baseline, createBaseline } from "../registry/baselines.ts";
import { RangeBaselineBody, RangeCoverage, freezeRange, isRangeBody, type FrozenRange } from "./baseline-range.ts";
import { actorOf, principalOf } from "./request-context.ts";

const Params = z.object({ model: z.string(), version: z.string() });
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const MAX_POINTS = 5_000;

const metricsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/versions/{version}/metrics",
  tags: ["monitoring"],
  summary: "Monitoring history of a model version",
  description: `Window aggregates and per-feature drift scores as written by the monitor (one point per window at most every 5 s), oldest first, at most ${MAX_POINTS} points.`,
  security: [{ bearer: [] }],
  middleware: [authorize({ scope: "read" })] as const,
  request: {
    params: Params,
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default 1 hour ago" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default now" }),
      window: z.enum(["5m", "1h", "24h"]).default("5m"),
    }),
  },
  responses: {
    200: {
      description: "History",
      content: {
        "application/json": {
          schema: z.object({
            window: z.string(),
            points: z.array(z.object({ at: z.string(), rows: z.number(), drift_share: z.number().nullable(), drifted_features: z.number(), summary: z.unknown() })),
            features: z.record(z.string(), z.array(z.object({ at: z.string(), method: z.string(), score: z.number().nullable(), threshold: z.number(), drifted: z.boolean() }))),
          }),
        },
      },
    },
    404: { description: "Unknown model version", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const baselineRoute = createRoute({
  method: "put",
  path: "/v1/models/{model}/versions/{version}/baseline",
  tags: ["monitoring"],
  summary: "Set the reference (baseline) a model version is scored against",
  description:
    "JSON body, one of three kinds, told apart by their keys:\n" +
    "- `{ \"profile\": <vigil.profile> }`: a profile as `vigil profile` writes it;\n" +
    "- `{ \"rows\": [ { <feature>: value, …, \"prediction\"?: value } ] }`: a reference dataset, profiled with the version's feature kinds;\n" +
    "- `{ \"from\": …, \"to\": … }` (ISO 8601 with offset, or Unix ms): freeze production traffic in that range. The monitor merges its stored sketches " +
    "(minute buckets for the last 2 h, hour roll-ups up to 7 days back; buckets overlapping the range count whole) into a profile: moments and categories exact, " +
    "numerical quantile bins within the KLL rank error (about 1.3% at k = 200). Only traffic counted against the current baseline can be frozen. " +
    "The reply's `range` gives the range actually covered and its rows.\n" +
    "Each stores a baseline (with an audit entry) and makes it active; `name` and `note` are optional. The live feature windows restart on the new baseline's bins.",
  security: [{ bearer: [] }],
  middleware: [authorize({ scope: "write" })] as const,
  request: {
    params: Params,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.union([
            z.object({ profile: z.record(z.string(), z.unknown()), name: z.string().optional(), note: z.string().optional() }),
            z.object({ rows: z.array(z.record(z.string(), z.unknown())), name: z.string().optional(), note: z.string().optional() }),
            RangeBaselineBody,
          ]),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Baseline set",
      content: {
        "application/json": {
          schema: z
            .object({ status: z.string(), rows: z.number(), baseline_id: z.string(), baseline: Baseline, range: RangeCoverage.optional().openapi({ description: "with `from`/`to` only" }) })
            .passthrough(),
        },
      },
    },
    400: { description: "Invalid profile, rows or range (`details` names the field)", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Unknown model version", content: { "application/json": { schema: ErrorSchema } } },
    422: {
      description: "A range that cannot be frozen: older than the 7-day retention (`range_out_of_retention`), no traffic counted in it (`no_traffic`), or no baseline yet to count against (`no_baseline`)",
      content: { "application/json": { schema: ErrorSchema } },
    },
  },
});

export const monitoring = new OpenAPIHono<AppEnv>();

monitoring.openapi(metricsRoute, async (c) => {
  const { model, version } = c.req.valid("param");
  const query = c.req.valid("query");
  const { record } = await resolveVersion(c, model, version, null);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  if (from > to) throw new ApiError(400, "validation_failed", "from must not be after to", [{ field: "from", error: "after to" }]);
  const scope = (t: typeof monitorAggregates | typeof featureScores) =>
    and(eq(t.orgId, record.orgId), eq(t.model, record.model), eq(t.version, record.version), eq(t.window, query.window), gte(t.at, from), lte(t.at, to));
  const db = c.var.db();
  const points = await db.select().from(monitorAggregates).where(scope(monitorAggregates)).orderBy(asc(monitorAggregates.at)).limit(MAX_POINTS);
  const scores = await db.select().from(featureScores).where(scope(featureScores)).orderBy(asc(featureScores.at)).limit(MAX_POINTS * 50);
  const features: Record<string, { at: string; method: string; score: number | null; threshold: number; drifted: boolean }[]> = {};
  for (const s of scores) {
    (features[s.feature] ??= []).push({ at: s.at.toISOString(), method: s.method, score: s.score, threshold: s.threshold, drifted: s.drifted });
  }
  return c.json({
    window: query.window,
    points: points.map((p) => ({ at: p.at.toISOString(), rows: p.rows, drift_share: p.driftShare, drifted_features: p.driftedFeatures, summary: p.summary })),
    features,
  }, 200);
});

// Documented above, served below: the body is read raw rather than through the route's
// validator, and its keys decide which of the three kinds it is.
monitoring.openAPIRegistry.registerPath(baselineRoute);

monitoring.put("/v1/models/:model/versions/:version/baseline", authorize({ scope: "write" }), async (c) => {
  const { model, version } = c.req.param();
  const { record } = await resolveVersion(c, model, version, null);
  const body = objectBody(await readBodyText(c.req.raw));
  let profile: unknown;
  let frozen: FrozenRange | undefined;
  if (isRangeBody(body)) {
    frozen = await freezeRange(c.env, record.orgId, record.model, record.version, body, Date.now());
    profile = frozen.profile;
  } else {
    try {
      if (body.profile !== undefined) profile = readProfile(body.profile);
      else if (Array.isArray(body.rows)) {
        const rows = body.rows.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null && !Array.isArray(r));
        if (rows.length === 0) throw new ApiError(400, "validation_failed", "rows: must hold at least one object", [{ field: "rows", error: "empty" }]);
        const hasPrediction = rows.some((r) => r.prediction !== undefined);
        profile = buildProfile(rows, {
          features: record.featureSchema.map((f) => ({ name: f.name, kind: f.kind })),
          ...(hasPrediction ? { prediction: "prediction" } : {}),
          createdAt: new Date().toISOString(),
        });
      } else {
        throw new ApiError(400, "validation_failed", 'body must hold "profile", "rows" or "from" and "to"', [{ field: "(body)", error: 'expected "profile", "rows" or "from" and "to"' }]);
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(400, "invalid_baseline", (error as Error).message);
    }
  }
  // The registry's baselines table is the record (validated, audited, one active); the
  // monitor then restarts its windows on it.
  const name = frozen?.name ?? (typeof body.name === "string" && body.name.trim() ? body.name.trim() : `upload ${new Date().toISOString()}`);
  const note = frozen?.note ?? (typeof body.note === "string" ? body.note : undefined);
  const baseline = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, {
    name, profile: profile as Record<string, unknown>, activate: true, ...(note ? { note } : {}),
  });
  const info = await monitorStub(c.env, record.orgId, record.model, record.version).setBaseline(profile);
  return c.json({ ...info, baseline_id: baseline.id, baseline, ...(frozen ? { range: frozen.range } : {}) }, 200);
});
