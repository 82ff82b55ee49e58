// The route matrix's hand-written expectations (route-matrix.test.ts): for every API route,
// the exact status each kind of caller must get. Nothing here is read from the code under
// test; a row says what the product promises.
import { uniqueSlug } from "../testing/seed.ts";
import { CHANNEL, SIGN_IN_PASSWORD, SIGNATURES_OFF, VALUE_MATRIX, type Fixture } from "./route-matrix-fixture.ts";
import { COLUMNS, type Call, type Who } from "./route-matrix-callers.ts";

export interface Row {
  /** Builds the request for one caller; resources a call changes are made fresh for each caller. */
  req: (fx: Fixture, who: Who) => Promise<Call> | Call;
  expect: string;
}


//                                       anon inst | owner admin editor viewer narrowed | k:ingest k:read k:write k:admin | kP:in kP:out kM:in kM:out | x:owner x:key
// Model-level reads: every reader of the model; a key limited elsewhere and the other org get 404 (the model's existence is not shown).
// Model-level writes: editors and up, write keys; a viewer, the narrowed admin and a read or ingest key 403.
// Org-wide admin resources: owner, admin and an org-wide admin key; anything limited to part of the org 403.
export const TABLE: Record<string, Row> = {
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

export function parseExpect(route: string, text: string): Record<Who, number> {
  const codes = text.split(/[\s|]+/).filter(Boolean).map(Number);
  if (codes.length !== COLUMNS.length || codes.some((c) => !Number.isInteger(c))) throw new Error(`${route}: the row needs ${COLUMNS.length} statuses, has "${text}"`);
  return Object.fromEntries(COLUMNS.map((who, i) => [who, codes[i]!])) as Record<Who, number>;
}

