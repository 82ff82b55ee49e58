// Live views of a model version: the dashboard WebSocket at
// /parties/model-monitor/<model>:<version> (docs/architecture.md, "Data flow") and GET …/live for one snapshot.
// Both are routed to the caller's own org's object, so a room name never reaches
// another org's data. A socket authenticates with an API key (read scope) in the
// Authorization header or, since browsers cannot set headers on a WebSocket, in
// `?key=`; a signed-in dashboard session (cookie) works through authorize() as well.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { baselineInfo, parseRoomName, snapshotMessage, totals } from "../../durable/protocol.ts";
import { authorize } from "../auth/authenticate.ts";
import { keyFromQuery } from "../auth/key-from-query.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { database } from "../middleware/database.ts";
import { authErrors, describedErrors, orgSecurity } from "../openapi/errors.ts";
import { VersionParams } from "../openapi/params.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { SegmentQuery, segmentParam } from "./segment-param.ts";

const unknownVersion = describedErrors({ 404: "Unknown model version, or one outside the key's project or model" });


export const live = new OpenAPIHono<AppEnv>();
live.use("/parties/*", database());

live.get("/parties/model-monitor/:room", keyFromQuery(), authorize({ scope: "read" }), async (c) => {
  const room = parseRoomName(c.req.param("room"));
  if (!room) throw new ApiError(400, "bad_room", `room must be <model>:<version>, got "${c.req.param("room")}"`);
  const { record } = await resolveVersion(c, room.model, room.version, null, "read");
  return monitorStub(c.env, record.orgId, record.model, record.version).fetch(c.req.raw);
});

// The WebSocket protocol's own schemas (durable/protocol.ts), wrapped by this module's z:
// protocol.ts uses plain zod and may load before @hono/zod-openapi adds .openapi().
const MonitorSnapshot = z.object(snapshotMessage.shape).openapi("MonitorSnapshot");

const liveRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/versions/{version}/live",
  tags: ["monitoring"],
  summary: "The live monitoring snapshot of a model version",
  description:
    "What a dashboard socket receives on connect (durable/protocol.ts): windows 5m/1h/24h with drift, data quality, latency, performance, volume and totals, " +
    "and `segments`, the per-segment summary. With `?segment=`, the windows are that tracked segment's (and `segment` names it).",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams, query: SegmentQuery },
  responses: {
    200: jsonResponse(MonitorSnapshot, "Snapshot"),
    ...authErrors,
    ...describedErrors({
      400: "A malformed `segment` (not dimension:value)",
      404: "Unknown model version, or one outside the key's project or model; or a segment the monitor does not track (`segment_not_tracked`)",
    }),
  },
});

live.openapi(liveRoute, async (c) => {
  const { model, version } = c.req.valid("param");
  const segment = segmentParam(c.req.valid("query").segment);
  const { record } = await resolveVersion(c, model, version, null, "read");
  const stub = monitorStub(c.env, record.orgId, record.model, record.version);
  if (segment === undefined) return c.json(await stub.live(), 200);
  const snapshot = await stub.liveSegment(segment);
  if (snapshot === null) throw new ApiError(404, "segment_not_tracked", `segment "${segment}" is not tracked by ${record.model} ${record.version} (the top-K segments by volume and "other" are)`, [{ field: "segment", error: "not tracked" }]);
  return c.json(snapshot, 200);
});

const MonitorStats = z
  .object({
    storageBytes: z.number().openapi({ description: "SQLite storage the object uses" }),
    predictions: z.number().openapi({ description: "predictions kept for the label join" }),
    outbox: z.number().openapi({ description: "outbox rows waiting for a sink" }),
    totals,
    baseline: baselineInfo,
    sharding: z
      .object({
        shards: z.array(z.number()).openapi({ description: "shards other than the primary that ever registered" }),
        pullMs: z.number(), mergeMs: z.number(), mergedSlots: z.number(),
        ticks: z.number().openapi({ description: "ticks (pulls) since the primary object started" }),
        pullMsPerTick: z.number().openapi({ description: "mean wall time of a tick's pull of every shard (in parallel)" }),
        mergeMsPerTick: z.number().openapi({ description: "mean time a tick spends merging the shards' buckets" }),
        mergedSlotsPerTick: z.number(),
      })
      .optional()
      .openapi({ description: "a sharded version's primary object: its shards and merge cost (issue 23); storage and predictions are the primary's own" }),
    work: z
      .object({
        ingests: z.number(), ingestMs: z.number(), ticks: z.number(), tickMs: z.number(), events: z.number(),
        busyShare: z.number().openapi({ description: "milliseconds of that work per wall millisecond over the last 5 s: what the auto shard mode watches (docs/architecture.md, \"The auto mode\")" }),
      })
      .openapi({ description: "this object's own work since it started: batches stored and ticks run with the milliseconds each took (close to its CPU: one thing at a time, synchronous SQLite), and the events it counted" }),
  })
  .openapi("MonitorStats");

const statsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/versions/{version}/monitor-stats",
  tags: ["monitoring"],
  summary: "Storage and counters of a model version's monitor",
  description: "Durable Object storage in use, predictions kept for the label join, outbox rows waiting for sinks, running totals and baseline state.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams },
  responses: { 200: jsonResponse(MonitorStats, "Monitor statistics"), ...authErrors, ...unknownVersion },
});

live.openapi(statsRoute, async (c) => {
  const { model, version } = c.req.valid("param");
  const { record } = await resolveVersion(c, model, version, null, "read");
  return c.json(await monitorStub(c.env, record.orgId, record.model, record.version).stats(), 200);
});
