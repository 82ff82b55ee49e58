// Every API route × every kind of caller × own and other org, against a table written by
// hand: the exact status each caller must get. Nothing here is read from the code under
// test (no role table, no scope rule, no route policy): a route's row says what the
// product promises, and the request it sends is valid, so an admitted caller gets its
// 2xx (or the real answer the row names, e.g. 400 for a key on a password route) and a
// 400 or 404 is never mistaken for "admitted". A route in /openapi.json or mounted under
// /v1 without a row fails the first test; a row for a route that no longer exists fails it too.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProfile } from "../../stats/profile/build.ts";
import { queueDelivery } from "../alerts/fanout.ts";
import { setOutboundFetch } from "../alerts/outbound.ts";
import { testNotification } from "../alerts/snapshot.ts";
import { recordingFetch } from "../alerts/testing.ts";
import { createApp } from "../app.ts";
import { alerts, auditExports, deliveries, projectRoles, projects } from "../db/schema/index.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedUser, type TestUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testDb, testEnv, uniqueSlug } from "../testing/seed.ts";
import type { Database } from "../db/client.ts";
import { createLoginLink } from "../users/login-links.ts";
import { hashPassword } from "../users/password.ts";
import { MISSING_POLICY_HELP } from "./policy.ts";
import { concurrencyLimit } from "../testing/concurrency.ts";

/** Calls in flight at once: each opens its own Postgres pool, and the test server allows 100 connections. */
const requests = concurrencyLimit(16);

const app = createApp();
const INSTANCE_TOKEN = "it-".padEnd(48, "x");
const env = { ...testEnv, INSTANCE_ADMIN_TOKEN: INSTANCE_TOKEN };

/**
 * The callers, in the order of the table's columns. The matrix model lives in the own
 * org's `default` project.
 *  anon     no credentials
 *  inst     the instance admin token (INSTANCE_ADMIN_TOKEN): instance routes only
 *  owner, admin, editor, viewer   signed-in users of the own org with that org role
 *  narrowed a user who is admin in the org but viewer in the model's project
 *  k:ingest, k:read, k:write, k:admin   org-wide API keys with that one scope
 *  kP:in    admin key limited to the model's project;  kP:out  admin key limited to another project
 *  kM:in    admin key limited to the model;            kM:out  admin key limited to another model of the same project
 *  x:owner, x:key   the other org's owner and admin key
 */
const COLUMNS = ["anon", "inst", "owner", "admin", "editor", "viewer", "narrowed", "k:ingest", "k:read", "k:write", "k:admin", "kP:in", "kP:out", "kM:in", "kM:out", "x:owner", "x:key"] as const;
type Who = (typeof COLUMNS)[number];
const OTHER_ORG: ReadonlySet<Who> = new Set(["x:owner", "x:key"]);
const LIMITED_OUTSIDE: ReadonlySet<Who> = new Set(["kP:out", "kM:out"]);

interface Call {
  path: string;
  body?: unknown;
  /** Sent instead of JSON (content type in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
}

interface Row {
  /** Builds the request for one caller; resources a call changes are made fresh for each caller. */
  req: (fx: Fixture, who: Who) => Promise<Call> | Call;
  expect: string;
}

//                                       anon inst | owner admin editor viewer narrowed | k:ingest k:read k:write k:admin | kP:in kP:out kM:in kM:out | x:owner x:key
// Model-level reads: every reader of the model; a key limited elsewhere and the other org get 404 (the model's existence is not shown).
// Model-level writes: editors and up, write keys; a viewer, the narrowed admin and a read or ingest key 403.
// Org-wide admin resources: owner, admin and an org-wide admin key; anything limited to part of the org 403.
const TABLE: Record<string, Row> = {
  "GET /v1/health": { req: () => ({ path: "/v1/health" }), expect: "200 200 | 200 200 200 200 200 | 200 200 200 200 | 200 200 200 200 | 200 200" },
  // Ingest: another org sending the same model name registers its own model (200).
  "POST /v1/ingest": { req: (fx) => ({ path: "/v1/ingest", body: fx.events() }), expect: "401 403 | 200 200 200 403 403 | 200 403 403 200 | 200 404 200 404 | 200 200" },
  // The request half is sent first (by the same caller); the status is the response half's, which ingests the pair.
  "POST /v1/integrations/cloudevents": { req: (fx, who) => fx.cloudEventPair(who), expect: "401 403 | 200 200 200 403 403 | 200 403 403 200 | 200 404 200 404 | 200 200" },
  // The live room: a plain GET (no upgrade) answers with the snapshot.
  "GET /parties/model-monitor/:room": { req: (fx) => ({ path: `/parties/model-monitor/${fx.model}:v1` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/live": { req: (fx) => ({ path: `${fx.v1}/live` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/monitor-stats": { req: (fx) => ({ path: `${fx.v1}/monitor-stats` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  // Labels never register a model: another org naming ours gets 404.
  "POST /v1/actuals": { req: (fx) => ({ path: "/v1/actuals", body: { model: fx.model, version: "v1", actuals: [{ prediction_id: "p-1", actual: 1 }] } }), expect: "401 403 | 200 200 200 403 403 | 200 403 403 200 | 200 404 200 404 | 404 404" },
  "POST /v1/outcomes": { req: (fx) => ({ path: "/v1/outcomes", body: { model: fx.model, outcomes: [{ prediction_id: "p-1", kpi: "revenue", value: 1 }] } }), expect: "401 403 | 200 200 200 403 403 | 200 403 403 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/metrics": { req: (fx) => ({ path: `${fx.v1}/metrics` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "PUT /v1/models/:model/versions/:version/baseline": { req: (fx) => ({ path: `${fx.v1}/baseline`, body: { rows: fx.rows } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  // The exposition: every reader gets 200, filtered to what it may read (checked below).
  "GET /metrics": { req: () => ({ path: "/metrics" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },

  // Channels serve the whole org: changing one needs write on every project.
  "POST /v1/channels": { req: () => ({ path: "/v1/channels", body: CHANNEL }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 403 403 403 403 | 201 201" },
  "GET /v1/channels": { req: () => ({ path: "/v1/channels" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/channels/:id": { req: (fx) => ({ path: `/v1/channels/${fx.shared.channel}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 404 404" },
  "PATCH /v1/channels/:id": { req: async (fx) => ({ path: `/v1/channels/${await fx.channel()}`, body: { name: "renamed" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 403 403 403 403 | 404 404" },
  "DELETE /v1/channels/:id": { req: async (fx) => ({ path: `/v1/channels/${await fx.channel()}` }), expect: "401 403 | 204 204 204 403 403 | 403 403 204 204 | 403 403 403 403 | 404 404" },
  "POST /v1/channels/:id/test": { req: async (fx) => ({ path: `/v1/channels/${await fx.channel()}/test` }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 403 403 403 403 | 404 404" },

  // Rules belong to a model.
  "POST /v1/rules": { req: (fx) => ({ path: "/v1/rules", body: fx.ruleBody() }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 201 404 201 404 | 404 404" },
  "GET /v1/rules": { req: () => ({ path: "/v1/rules" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/rules/:id": { req: (fx) => ({ path: `/v1/rules/${fx.shared.rule}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "PATCH /v1/rules/:id": { req: async (fx) => ({ path: `/v1/rules/${await fx.rule()}`, body: { enabled: false } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "DELETE /v1/rules/:id": { req: async (fx) => ({ path: `/v1/rules/${await fx.rule()}` }), expect: "401 403 | 204 204 204 403 403 | 403 403 204 204 | 204 404 204 404 | 404 404" },

  // Alerts belong to the model they fired on.
  "GET /v1/alerts": { req: () => ({ path: "/v1/alerts" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/alerts/:id": { req: (fx) => ({ path: `/v1/alerts/${fx.shared.alert}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/alerts/:id/ack": { req: async (fx) => ({ path: `/v1/alerts/${await fx.alert()}/ack`, body: { note: "looking" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/alerts/:id/resolve": { req: async (fx) => ({ path: `/v1/alerts/${await fx.alert()}/resolve`, body: { note: "fixed" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/alerts/:id/deliveries": { req: (fx) => ({ path: `/v1/alerts/${fx.shared.alert}/deliveries` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  // A channel's test delivery belongs to no model: acting on it is acting on the org-wide channel,
  // which a user narrowed in some project may not change; a key limited to part of the org does not see it.
  "POST /v1/deliveries/:id/redeliver": { req: async (fx) => ({ path: `/v1/deliveries/${await fx.delivery("dead")}/redeliver` }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 404 404 404 404 | 404 404" },
  "POST /v1/deliveries/:id/approve": { req: async (fx) => ({ path: `/v1/deliveries/${await fx.delivery("awaiting_approval")}/approve` }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 404 404 404 404 | 404 404" },

  // Instance level: only the instance admin creates orgs.
  "POST /v1/orgs": { req: () => ({ path: "/v1/orgs", body: { slug: uniqueSlug("mx"), name: "Matrix org" } }), expect: "401 201 | 403 403 403 403 403 | 403 403 403 403 | 403 403 403 403 | 403 403" },
  "GET /v1/projects": { req: () => ({ path: "/v1/projects" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  // A new project touches no existing one: the narrowed admin may create it; a limited key could never reach it.
  "POST /v1/projects": { req: () => ({ path: "/v1/projects", body: { slug: uniqueSlug("p").slice(0, 60), name: "P" } }), expect: "401 403 | 201 201 403 403 201 | 403 403 403 201 | 403 403 403 403 | 201 201" },

  // Keys: an admin grants at most what it holds everywhere the key reaches (an org-wide read key: the
  // narrowed admin reads every project). An org-wide key is an org-wide resource: listing, revoking or
  // rotating one needs admin on every project. A limited admin key sees only keys limited like itself
  // (list 200, an org-wide key 404).
  "POST /v1/keys": { req: () => ({ path: "/v1/keys", body: { name: "matrix", scopes: ["read"] } }), expect: "401 403 | 201 201 403 403 201 | 403 403 403 201 | 403 403 403 403 | 201 201" },
  "GET /v1/keys": { req: () => ({ path: "/v1/keys" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 200 200 200 200 | 200 200" },
  "DELETE /v1/keys/:id": { req: async (fx) => ({ path: `/v1/keys/${await fx.apiKey()}` }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 404 404 404 404 | 404 404" },
  "POST /v1/keys/:id/rotate": { req: async (fx) => ({ path: `/v1/keys/${await fx.apiKey()}/rotate`, body: { overlap_seconds: 60 } }), expect: "401 403 | 201 201 403 403 403 | 403 403 403 201 | 404 404 404 404 | 404 404" },
  // Only a signed-in user has a password: a key gets 400 saying so.
  "PUT /v1/users/me/password": { req: () => ({ path: "/v1/users/me/password", body: { new_password: "matrix-password-1" } }), expect: "401 403 | 204 204 204 204 204 | 403 400 400 400 | 400 400 400 400 | 204 400" },
  "GET /v1/users": { req: () => ({ path: "/v1/users" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 403 403 403 403 | 200 200" },
  "POST /v1/users": { req: () => ({ path: "/v1/users", body: { email: `${uniqueSlug("m")}@example.test`, role: "viewer" } }), expect: "401 403 | 201 201 403 403 403 | 403 403 403 201 | 403 403 403 403 | 201 201" },
  "GET /v1/users/:id": { req: (fx) => ({ path: `/v1/users/${fx.shared.member}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 403 403 403 403 | 404 404" },
  "PATCH /v1/users/:id": { req: async (fx) => ({ path: `/v1/users/${await fx.member()}`, body: { role: "editor" } }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 404 404" },
  "DELETE /v1/users/:id": { req: async (fx) => ({ path: `/v1/users/${await fx.member()}` }), expect: "401 403 | 204 204 403 403 403 | 403 403 403 204 | 403 403 403 403 | 404 404" },

  // Signing in is public: valid credentials work whoever else the request claims to be.
  "POST /v1/sessions": { req: (fx) => ({ path: "/v1/sessions", body: { email: fx.shared.signIn.email, password: SIGN_IN_PASSWORD } }), expect: "201 201 | 201 201 201 201 201 | 201 201 201 201 | 201 201 201 201 | 201 201" },
  "GET /v1/sessions/link": { req: async (fx) => ({ path: `/v1/sessions/link?redirect=false&token=${await fx.loginLink()}` }), expect: "200 200 | 200 200 200 200 200 | 200 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/sessions": { req: () => ({ path: "/v1/sessions" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  // Signing out ends a session: a key has none (400). Runs last (it ends the users' sessions).
  "DELETE /v1/sessions": { req: () => ({ path: "/v1/sessions" }), expect: "401 403 | 204 204 204 204 204 | 403 400 400 400 | 400 400 400 400 | 204 400" },

  // The registry. Creating a model acts on the whole project: a key limited to one model 403.
  "GET /v1/models": { req: () => ({ path: "/v1/models" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "POST /v1/models": { req: () => ({ path: "/v1/models", body: { name: uniqueSlug("mm"), prediction_kind: "binary" } }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 201 404 403 403 | 201 201" },
  "GET /v1/models/:model": { req: (fx) => ({ path: `/v1/models/${fx.model}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "PATCH /v1/models/:model": { req: (fx) => ({ path: `/v1/models/${fx.model}`, body: { description: "matrix" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions": { req: (fx) => ({ path: `/v1/models/${fx.model}/versions` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/models/:model/versions": { req: (fx) => ({ path: `/v1/models/${fx.model}/versions`, body: { version: uniqueSlug("v") } }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 201 404 201 404 | 404 404" },
  "GET /v1/models/:model/versions/:version": { req: (fx) => ({ path: fx.v1 }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "PATCH /v1/models/:model/versions/:version": { req: (fx) => ({ path: fx.v1, body: { description: "matrix" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/models/:model/versions/:version/promote": { req: async (fx) => ({ path: `/v1/models/${fx.model}/versions/${await fx.version()}/promote`, body: { stage: "staging" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/baselines": { req: (fx) => ({ path: `${fx.v1}/baselines` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/models/:model/versions/:version/baselines": { req: (fx) => ({ path: `${fx.v1}/baselines`, body: { name: uniqueSlug("baseline"), profile: fx.profile, activate: false } }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 201 404 201 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/baselines/:id": { req: (fx) => ({ path: `${fx.v1}/baselines/${fx.shared.baseline}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "POST /v1/models/:model/versions/:version/baselines/:id/activate": { req: async (fx) => ({ path: `${fx.v1}/baselines/${await fx.baseline()}/activate`, body: {} }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "PUT /v1/models/:model/versions/:version/value-matrix": { req: (fx) => ({ path: `${fx.v1}/value-matrix`, body: VALUE_MATRIX }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/value-matrix": { req: (fx) => ({ path: `${fx.v1}/value-matrix` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/impact": { req: (fx) => ({ path: `${fx.v1}/impact?kpi=revenue` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/impact/events": { req: (fx) => ({ path: `${fx.v1}/impact/events?kpi=revenue` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/models/:model/versions/:version/impact/kpis": { req: (fx) => ({ path: `${fx.v1}/impact/kpis` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },

  // Org-wide admin resources; the other org reads its own (200) and never ours (404 by id).
  "GET /v1/audit": { req: () => ({ path: "/v1/audit" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "GET /v1/audit/verify": { req: () => ({ path: "/v1/audit/verify" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "POST /v1/erasure": { req: () => ({ path: "/v1/erasure", body: { subject_id: "nobody-at-all" } }), expect: "401 403 | 202 202 403 403 403 | 403 403 403 202 | 403 403 403 403 | 202 202" },
  "GET /v1/erasure": { req: () => ({ path: "/v1/erasure" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "GET /v1/erasure/:id": { req: (fx) => ({ path: `/v1/erasure/${fx.shared.erasure}` }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 404 404" },
  "GET /v1/retention": { req: () => ({ path: "/v1/retention" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "PUT /v1/retention": { req: () => ({ path: "/v1/retention", body: {} }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "POST /v1/retention/run": { req: () => ({ path: "/v1/retention/run" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  // A model's retention: admin on the model.
  "GET /v1/models/:model/retention": { req: (fx) => ({ path: `/v1/models/${fx.model}/retention` }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 200 404 200 404 | 404 404" },
  "PUT /v1/models/:model/retention": { req: (fx) => ({ path: `/v1/models/${fx.model}/retention`, body: {} }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 200 404 200 404 | 404 404" },
  "GET /v1/audit/exports": { req: () => ({ path: "/v1/audit/exports" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "GET /v1/audit/exports/:id": { req: (fx) => ({ path: `/v1/audit/exports/${fx.shared.auditExport}` }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 404 404" },
  "GET /v1/policies/signatures": { req: () => ({ path: "/v1/policies/signatures" }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  "PUT /v1/policies/signatures": { req: () => ({ path: "/v1/policies/signatures", body: SIGNATURES_OFF }), expect: "401 403 | 200 200 403 403 403 | 403 403 403 200 | 403 403 403 403 | 200 200" },
  // Signatures and approvals span the org: readable by any org-wide reader.
  "GET /v1/signatures": { req: () => ({ path: "/v1/signatures" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 403 403 403 403 | 200 200" },
  "GET /v1/approvals": { req: () => ({ path: "/v1/approvals" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 403 403 403 403 | 200 200" },

  // Reports on a model: read on the model.
  "POST /v1/reports": { req: (fx) => ({ path: "/v1/reports", body: fx.reportBody() }), expect: "401 403 | 201 201 201 201 201 | 403 201 201 201 | 201 404 201 404 | 404 404" },
  "GET /v1/reports": { req: () => ({ path: "/v1/reports" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/reports/:id": { req: (fx) => ({ path: `/v1/reports/${fx.shared.report}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "GET /v1/reports/:id/download": { req: (fx) => ({ path: `/v1/reports/${fx.shared.report}/download` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  // Report schedules: reading as reports; setting one up, changing or deleting it needs write on the model.
  "POST /v1/report-schedules": { req: (fx) => ({ path: "/v1/report-schedules", body: fx.scheduleBody() }), expect: "401 403 | 201 201 201 403 403 | 403 403 201 201 | 201 404 201 404 | 404 404" },
  "GET /v1/report-schedules": { req: () => ({ path: "/v1/report-schedules" }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 200 200 200 | 200 200" },
  "GET /v1/report-schedules/:id": { req: (fx) => ({ path: `/v1/report-schedules/${fx.shared.schedule}` }), expect: "401 403 | 200 200 200 200 200 | 403 200 200 200 | 200 404 200 404 | 404 404" },
  "PATCH /v1/report-schedules/:id": { req: async (fx) => ({ path: `/v1/report-schedules/${await fx.schedule()}`, body: { name: "renamed" } }), expect: "401 403 | 200 200 200 403 403 | 403 403 200 200 | 200 404 200 404 | 404 404" },
  "DELETE /v1/report-schedules/:id": { req: async (fx) => ({ path: `/v1/report-schedules/${await fx.schedule()}` }), expect: "401 403 | 204 204 204 403 403 | 403 403 204 204 | 204 404 204 404 | 404 404" },
};

const CHANNEL = { name: "matrix", kind: "webhook", config: { url: "https://receiver.example.com/hook" } };
const VALUE_MATRIX = { currency: "USD", tp: 10, fp: -1, fn: -5, tn: 0 };
const SIGNATURES_OFF = { production_promotion: { required: false, approvals: 1 }, baseline_change: { required: false, approvals: 1 }, threshold_change: { required: false, approvals: 1 } };
const SIGN_IN_PASSWORD = "matrix-sign-in-password";
const FEATURES = [{ name: "x", kind: "numerical" as const, dtype: "float" as const }];

function parseExpect(route: string, text: string): Record<Who, number> {
  const codes = text.split(/[\s|]+/).filter(Boolean).map(Number);
  if (codes.length !== COLUMNS.length || codes.some((c) => !Number.isInteger(c))) throw new Error(`${route}: the row needs ${COLUMNS.length} statuses, has "${text}"`);
  return Object.fromEntries(COLUMNS.map((who, i) => [who, codes[i]!])) as Record<Who, number>;
}

/** `/v1/models/{model}` → `/v1/models/:model`, as hono names it. */
const honoPath = (openapiPath: string) => openapiPath.replace(/\{(\w+)\}/g, ":$1");
const isApiPath = (path: string) => path.startsWith("/v1/") || path === "/metrics" || path.startsWith("/parties/");

async function documentedRoutes(): Promise<string[]> {
  const doc = (await (await app.request("/openapi.json", {}, env)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${honoPath(path)}`));
}

function mountedRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== "ALL" && isApiPath(r.path)).map((r) => `${r.method} ${r.path}`))];
}

describe("route table", () => {
  it("has a row for every route in /openapi.json and every mounted API route, and none for a route that is gone", async () => {
    const documented = await documentedRoutes();
    const mounted = mountedRoutes();
    expect(documented.length).toBeGreaterThan(70);
    const missing = [...new Set([...documented, ...mounted])].filter((r) => !(r in TABLE));
    expect(missing, `routes without a row in the route table (workers/authz/route-matrix.test.ts): write the exact status each caller must get.\n  ${missing.join("\n  ")}`).toEqual([]);
    const stale = Object.keys(TABLE).filter((r) => !mounted.includes(r));
    expect(stale, "rows for routes that are not mounted").toEqual([]);
    for (const [route, row] of Object.entries(TABLE)) parseExpect(route, row.expect);
  });

  it("a route without a policy is refused at run time (fails closed)", async () => {
    const { requireRoutePolicy } = await import("./policy.ts");
    const { OpenAPIHono } = await import("@hono/zod-openapi");
    const { onError } = await import("../middleware/error-handler.ts");
    const bare = new OpenAPIHono();
    bare.onError(onError);
    bare.use("/v1/*", requireRoutePolicy());
    bare.get("/v1/forgotten", (c) => c.json({ secret: true }));
    const res = await bare.request("/v1/forgotten");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "route_without_policy", message: "route GET /v1/forgotten declares no authorization policy" } });
    expect(MISSING_POLICY_HELP).toMatch(/authorize/);
  });
});

type Fixture = Awaited<ReturnType<typeof setup>>;

/**
 * Fixtures share a few connection pools, open for the whole matrix (opening one per fixture
 * cost seconds; one pool of 4 connections made queued fixtures time out).
 */
async function setup(pools: readonly Database[]) {
  let next = 0;
  const pick = () => pools[next++ % pools.length]!;
  {
    const db = pick();
    const own = await seedOrg(db);
    const other = await seedOrg(db);
    const model = uniqueSlug("matrix-model");
    const registered = await registerModelVersionFromIngest(db, { orgId: own.orgId, model, version: "v1", featureSchema: FEATURES, predictionKind: "binary" });
    const [elsewhere] = await db.insert(projects).values({ orgId: own.orgId, slug: "elsewhere", name: "Elsewhere" }).returning();
    const sibling = await registerModelVersionFromIngest(db, { orgId: own.orgId, model: uniqueSlug("matrix-sibling"), version: "v1", featureSchema: FEATURES, predictionKind: "binary" });
    const setupKey = (await seedKey(db, own.orgId, ["admin"])).key;

    const bearer = (key: string) => () => ({ authorization: `Bearer ${key}` });
    const user = async (orgId: string, role: "owner" | "admin" | "editor" | "viewer") => (await seedUser(db, orgId, role)).headers;
    const narrowed = await seedUser(db, own.orgId, "admin");
    await db.insert(projectRoles).values({ orgId: own.orgId, userId: narrowed.userId, projectId: own.projectId, role: "viewer" });
    const key = async (orgId: string, scopes: ("ingest" | "read" | "write" | "admin")[], extra = {}) => bearer((await seedKey(db, orgId, scopes, extra)).key);
    const headers: Record<Who, (write: boolean) => Record<string, string>> = {
      anon: () => ({}),
      inst: bearer(INSTANCE_TOKEN),
      owner: await user(own.orgId, "owner"),
      admin: await user(own.orgId, "admin"),
      editor: await user(own.orgId, "editor"),
      viewer: await user(own.orgId, "viewer"),
      narrowed: narrowed.headers,
      "k:ingest": await key(own.orgId, ["ingest"]),
      "k:read": await key(own.orgId, ["read"]),
      "k:write": await key(own.orgId, ["write"]),
      "k:admin": await key(own.orgId, ["admin"]),
      "kP:in": await key(own.orgId, ["admin"], { projectId: own.projectId }),
      "kP:out": await key(own.orgId, ["admin"], { projectId: elsewhere!.id }),
      "kM:in": await key(own.orgId, ["admin"], { projectId: own.projectId, modelId: registered.modelId }),
      "kM:out": await key(own.orgId, ["admin"], { projectId: own.projectId, modelId: sibling.modelId }),
      "x:owner": await user(other.orgId, "owner"),
      "x:key": await key(other.orgId, ["admin"]),
    };

    /** Calls the API as an org-wide admin key of the own org; a failure stops the test with its reason. */
    async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await requests(() => app.request(path, { method, headers: { authorization: `Bearer ${setupKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }, env));
      const text = await res.text();
      if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }

    const rows = Array.from({ length: 40 }, (_, i) => ({ x: i / 4 }));
    const profile = buildProfile(rows, { features: [{ name: "x" }] });
    const v1 = `/v1/models/${model}/versions/v1`;
    const events = () => ({ model, version: "v1", events: [{ prediction_id: `p-${crypto.randomUUID()}`, timestamp: new Date().toISOString(), features: { x: 1 }, prediction: 1 }] });
    const ruleBody = () => ({ model, name: uniqueSlug("rule"), severity: "info", window: "5m", condition: { kind: "no_data", minutes: 5 } });
    const fixture = {
      model,
      v1,
      rows,
      profile,
      headers,
      events,
      ruleBody,
      reportBody: () => ({ kind: "model-risk", model, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString(), format: "json" }),
      scheduleBody: () => ({ kind: "model-risk", model, cron: "0 7 * * 1", format: "json", channels: [] }),
      schedule: async () => (await api<{ id: string }>("POST", "/v1/report-schedules", { kind: "model-risk", model, cron: "0 7 * * 1", format: "json", channels: [] })).id,
      /** KServe V1 halves in structured mode: the request is sent here, the response is the call under test. */
      cloudEventPair: async (who: Who): Promise<Call> => {
        const path = `/v1/integrations/cloudevents?model=${model}&version=v1&features=x`;
        const id = crypto.randomUUID();
        const half = (type: string, data: unknown) => JSON.stringify({ specversion: "1.0", id, source: "matrix", type: `org.kubeflow.serving.inference.${type}`, datacontenttype: "application/json", data });
        const ce = { "content-type": "application/cloudevents+json" };
        await requests(() => app.request(path, { method: "POST", headers: { ...ce, ...headers[who](true) }, body: half("request", { instances: [[1]] }) }, env));
        return { path, raw: half("response", { predictions: [1] }), headers: ce };
      },
      channel: async () => (await api<{ id: string }>("POST", "/v1/channels", CHANNEL)).id,
      rule: async () => (await api<{ id: string }>("POST", "/v1/rules", ruleBody())).id,
      /** An open alert on the matrix model, written as the evaluator writes one (the dispatcher path is covered in workers/alerts). */
      alert: async () => {
        const now = new Date();
        const [row] = await pick()
          .insert(alerts)
          .values({ orgId: own.orgId, modelId: registered.modelId, model, version: "v1", ruleName: "Feature drift", ruleKind: "feature_drift", severity: "critical", window: "5m", status: "open", firingId: `${crypto.randomUUID()}@${now.getTime()}`, summary: "1 feature(s) drifted", openedAt: now, lastFiredAt: now })
          .returning({ id: alerts.id });
        return row!.id;
      },
      delivery: async (status: "dead" | "awaiting_approval") => {
        const id = (await queueDelivery(pick(), own.orgId, shared.channel, testNotification(crypto.randomUUID(), { type: "system", id: "evaluator" }, "https://vigil.example.com"), status === "dead" ? "pending" : "awaiting_approval"))!;
        if (status === "dead") await pick().update(deliveries).set({ status: "dead", nextAttemptAt: null }).where(eq(deliveries.id, id));
        return id;
      },
      apiKey: async () => (await seedKey(pick(), own.orgId, ["read"])).id,
      member: async () => (await seedUser(pick(), own.orgId, "viewer")).userId,
      version: async () => {
        const name = uniqueSlug("v");
        await registerModelVersionFromIngest(pick(), { orgId: own.orgId, model, version: name, featureSchema: FEATURES, predictionKind: "binary" });
        return name;
      },
      baseline: async () => (await api<{ id: string }>("POST", `${v1}/baselines`, { name: uniqueSlug("b"), profile, activate: false })).id,
      loginLink: async () => encodeURIComponent((await createLoginLink(pick(), shared.signIn.userId, own.orgId)).token),
      shared: {} as {
        channel: string;
        rule: string;
        alert: string;
        member: string;
        baseline: string;
        erasure: string;
        report: string;
        schedule: string;
        auditExport: string;
        signIn: TestUser;
      },
      secrets: [own.orgId, own.projectId, registered.modelId, registered.versionId],
    };
    const shared = fixture.shared;
    shared.signIn = await seedUser(db, own.orgId, "viewer", { passwordHash: await hashPassword(SIGN_IN_PASSWORD) });
    shared.channel = await fixture.channel();
    shared.rule = await fixture.rule();
    shared.alert = await fixture.alert();
    shared.member = await fixture.member();
    shared.baseline = await fixture.baseline();
    await api("PUT", `${v1}/value-matrix`, VALUE_MATRIX);
    await api("POST", "/v1/outcomes", { model, outcomes: [{ prediction_id: "p-0", kpi: "revenue", value: 1, timestamp: new Date().toISOString() }] });
    shared.erasure = (await api<{ id: string }>("POST", "/v1/erasure", { subject_id: "nobody-at-all" })).id;
    shared.report = (await api<{ id: string }>("POST", "/v1/reports", fixture.reportBody())).id;
    shared.schedule = await fixture.schedule();
    const jsonl = "";
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(jsonl)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const [exported] = await db
      .insert(auditExports)
      .values({ orgId: own.orgId, firstId: 1, lastId: 1, records: 0, firstPrevHash: "0".repeat(64), lastHash: "0".repeat(64), cutoff: new Date(), sha256: sha, bytes: 0, location: "postgres", body: jsonl })
      .returning({ id: auditExports.id });
    shared.auditExport = exported!.id;
    return fixture;
  }
}

/**
 * Run after the rest, in this order: ingest registers the model name in the other org
 * (after which that org rightly reads its own model of the same name), and signing out
 * ends the users' sessions.
 */
const LAST = ["POST /v1/ingest", "POST /v1/integrations/cloudevents", "DELETE /v1/sessions"];

async function send(route: string, call: Call, headers: Record<string, string>) {
  const method = route.split(" ")[0]!;
  const hasBody = call.raw !== undefined || call.body !== undefined;
  const res = await requests(() =>
    app.request(
      call.path,
      { method, headers: { ...headers, ...(call.body !== undefined ? { "content-type": "application/json" } : {}), ...call.headers }, body: call.raw ?? (hasBody ? JSON.stringify(call.body) : undefined), redirect: "manual" },
      env,
    ),
  );
  return { status: res.status, text: await res.text() };
}

/**
 * Where the code answers otherwise than the table today. Each entry names the status the code
 * gives and why the table's is the right one. The matrix expects the entry's status, so it still
 * catches any other change, and it fails once the gap is closed, so the entry gets deleted.
 */
const KNOWN_GAPS: Record<string, { now: number; why: string }> = {};

/** Routes whose request carries its own credential (a password, a login link): the answer names the account it opens, whoever else calls. */
const CREDENTIAL_IN_REQUEST = new Set(["POST /v1/sessions", "GET /v1/sessions/link"]);

async function checkRoute(fx: Fixture, route: string): Promise<string[]> {
  const row = TABLE[route]!;
  const expected = parseExpect(route, row.expect);
  const write = !route.startsWith("GET ");
  const results = await Promise.all(
    COLUMNS.map(async (who) => {
      const call = await row.req(fx, who);
      return { who, ...(await send(route, call, fx.headers[who](write))) };
    }),
  );
  const failures: string[] = [];
  for (const r of results) {
    const where = `${route} as ${r.who}`;
    const gap = KNOWN_GAPS[where];
    if (gap && r.status === expected[r.who]) failures.push(`${where}: now answers ${r.status} as the table says: delete its KNOWN_GAPS entry`);
    else if (r.status !== (gap?.now ?? expected[r.who])) failures.push(`${where}: expected ${gap?.now ?? expected[r.who]}, got ${r.status} ${r.text.slice(0, 200)}`);
    const hidden = OTHER_ORG.has(r.who) || (LIMITED_OUTSIDE.has(r.who) && /:model\b/.test(route));
    if (hidden && !CREDENTIAL_IN_REQUEST.has(route) && fx.secrets.some((id) => r.text.includes(id))) failures.push(`${where}: the response shows ids the caller may not see: ${r.text.slice(0, 200)}`);
    if (route === "GET /metrics" && r.status === 200) {
      const shows = r.text.includes(`model="${fx.model}"`);
      const mayRead = !OTHER_ORG.has(r.who) && !LIMITED_OUTSIDE.has(r.who);
      if (shows !== mayRead) failures.push(`${where}: the exposition ${shows ? "shows" : "lacks"} the matrix model`);
    }
  }
  return failures;
}

describe("route × caller × tenant matrix", () => {
  const pools = Array.from({ length: 4 }, testDb);
  beforeAll(() => setOutboundFetch(recordingFetch([200]).fetch));
  afterAll(async () => {
    setOutboundFetch(undefined);
    await Promise.all(pools.map((db) => db.$client.end()));
  });

  it("gives every caller exactly the status the table names, and never shows another org's resources", { timeout: 240_000 }, async () => {
    const fx = await setup(pools);
    const failures: string[] = [];
    // Rows are independent (each call that changes something gets its own resource), so they run
    // a few at a time; the LAST ones run alone, in order.
    const queue = Object.keys(TABLE).filter((r) => !LAST.includes(r));
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let route = queue.shift(); route; route = queue.shift()) failures.push(...(await checkRoute(fx, route)));
      }),
    );
    for (const route of LAST) failures.push(...(await checkRoute(fx, route)));
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
