import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { setOutboundFetch } from "../alerts/outbound.ts";
import { recordingFetch, seedModelVersion, type AlertFixture } from "../alerts/testing.ts";
import { verifySignature } from "../channels/signature.ts";
import { channels, deliveries, deliveryAttempts, models, projectRoles } from "../db/schema/index.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();
const localEnv = { ...testEnv, VIGIL_ALLOW_HTTP_WEBHOOKS: "1" };
let f: AlertFixture;
let other: AlertFixture;

function call(method: string, path: string, body?: unknown, key = f.key, env = localEnv) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, env);
}

beforeAll(async () => {
  [f, other] = await withDb(async (db) => [await seedModelVersion(db), await seedModelVersion(db)]);
});
afterEach(() => setOutboundFetch(undefined));

describe("/v1/channels", () => {
  it("creates a webhook channel, shows its secret once, and masks credentials afterwards", async () => {
    const res = await call("POST", "/v1/channels", { name: "ops hook", kind: "webhook", config: { url: "http://127.0.0.1:9/hook" } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; config: Record<string, unknown>; models: null };
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.config).toEqual({ url: "http://127.0.0.1:9/…hook" }); // origin and last 4, even for its creator
    expect(created.models).toBeNull();
    const got = (await (await call("GET", `/v1/channels/${created.id}`)).json()) as Record<string, unknown>;
    expect(got.secret).toBeUndefined();
    const list = (await (await call("GET", "/v1/channels")).json()) as { channels: Array<{ id: string }> };
    expect(list.channels.map((c) => c.id)).toContain(created.id);
  });

  it.each([
    [{ name: "x", kind: "webhook", config: { url: "http://hooks.example.com/x" } }, "config.url", /must use https/],
    [{ name: "x", kind: "webhook", config: { url: "https://169.254.169.254/latest/meta-data" } }, "config.url", /link-local or metadata/],
    [{ name: "x", kind: "slack", config: { url: "https://127.0.0.1/x" } }, "config.url", /loopback/],
    [{ name: "x", kind: "webhook", config: { url: "https://10.0.0.1/hook" } }, "config.url", /non-public address .*private/],
    [{ name: "x", kind: "webhook", config: { url: "https://10-0-0-1.sslip.io/hook" } }, "config.url", /embeds 10\.0\.0\.1/],
    [{ name: "x", kind: "teams", config: { url: "https://[fd00::1]/wf" } }, "config.url", /unique local/],
    [{ name: "x", kind: "pagerduty", config: { routing_key: "k", url: "https://[64:ff9b::c0a8:101]/" } }, "config.url", /NAT64 form of 192\.168\.1\.1/],
    [{ name: "x", kind: "retrain", config: { format: "github", repo: "a/b", token: "t", api_url: "https://ghe.corp/api" } }, "config.api_url", /internal name/],
    [{ name: "x", kind: "slack", config: { url: "https://hooks.slack.com/…abcd" } }, "config.url", /redacted value/],
    [{ name: "x", kind: "pagerduty", config: {} }, "config.routing_key", /./],
    [{ name: "x", kind: "retrain", config: { format: "github", repo: "acme/models" } }, "config.token", /required when format is github/],
    [{ name: "x", kind: "retrain", config: { url: "https://ml.example.com", hold_minutes: -1 } }, "config.hold_minutes", /./],
    [{ name: "x", kind: "fax", config: {} }, "kind", /./],
  ])("rejects a bad channel in production naming the field: %j", async (body, field, message) => {
    const res = await call("POST", "/v1/channels", body, f.key, testEnv);
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { code: string; message: string; details: Array<{ field: string; error: string }> } };
    expect(err.error.code).toBe("validation_failed");
    expect(err.error.details[0]!.field).toBe(field);
    expect(err.error.message).toMatch(message);
  });

  it("answers 404 for another org's channel, for read, update, delete and test", async () => {
    const res = await call("POST", "/v1/channels", { name: "theirs", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/X" } }, other.key);
    const { id } = (await res.json()) as { id: string };
    expect((await call("GET", `/v1/channels/${id}`)).status).toBe(404);
    expect((await call("PATCH", `/v1/channels/${id}`, { name: "mine now" })).status).toBe(404);
    expect((await call("DELETE", `/v1/channels/${id}`)).status).toBe(404);
    expect((await call("POST", `/v1/channels/${id}/test`)).status).toBe(404);
    expect((await call("GET", `/v1/channels/not-a-uuid`)).status).toBe(404);
  });

  it("updates and soft-deletes a channel", async () => {
    const { id } = (await (await call("POST", "/v1/channels", { name: "a", kind: "teams", config: { url: "https://example.com/wf" } })).json()) as { id: string };
    const patched = await call("PATCH", `/v1/channels/${id}`, { name: "b", models: [f.model], enabled: false });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "b", models: [f.model], enabled: false });
    expect((await call("DELETE", `/v1/channels/${id}`)).status).toBe(204);
    expect((await call("GET", `/v1/channels/${id}`)).status).toBe(404);
  });

  it("sends a signed test delivery and logs it", async () => {
    const rec = recordingFetch([204]);
    setOutboundFetch(rec.fetch);
    const created = (await (await call("POST", "/v1/channels", { name: "t", kind: "webhook", config: { url: "https://receiver.example.com/hook" } })).json()) as { id: string; secret: string };
    const res = await call("POST", `/v1/channels/${created.id}/test`);
    expect(res.status).toBe(200);
    const out = (await res.json()) as { delivery_id: string; ok: boolean; status: string; status_code: number };
    expect(out).toMatchObject({ ok: true, status: "delivered", status_code: 204 });
    expect(rec.requests).toHaveLength(1);
    const req = rec.requests[0]!;
    expect(req.url).toBe("https://receiver.example.com/hook");
    expect(req.headers["idempotency-key"]).toBe(out.delivery_id);
    const verified = await verifySignature(created.secret, req.body, req.headers["vigil-signature"]!, Math.floor(Date.now() / 1000));
    expect(verified.ok).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({ type: "test", alert: null });
  });

  it("reports a failing receiver and schedules a retry", async () => {
    setOutboundFetch(recordingFetch([500]).fetch);
    const { id } = (await (await call("POST", "/v1/channels", { name: "t", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/Y" } })).json()) as { id: string };
    const out = (await (await call("POST", `/v1/channels/${id}/test`)).json()) as { ok: boolean; status: string; status_code: number; error: string };
    expect(out).toMatchObject({ ok: false, status: "pending", status_code: 500 });
    expect(out.error).toContain("HTTP 500");
    // Its retry falls due in seconds, and any later call of this org sweeps due deliveries
    // through whatever outbound fetch that test set: delete it, so no later test sees it.
    expect((await call("DELETE", `/v1/channels/${id}`)).status).toBe(204);
  });

  it("needs the write scope to create", async () => {
    const readOnly = await withDb(async (db) => (await import("../testing/seed.ts")).seedKey(db, f.orgId, ["read"]));
    const res = await call("POST", "/v1/channels", { name: "x", kind: "slack", config: { url: "https://hooks.slack.com/x" } }, readOnly.key);
    expect(res.status).toBe(403);
  });

  it("lets only callers with write on every project change channels; every reader of the org lists them", async () => {
    const { limited, narrowed } = await withDb(async (db) => {
      const [m] = await db.select({ projectId: models.projectId }).from(models).where(eq(models.id, f.modelId));
      const limited = await seedKey(db, f.orgId, ["read", "write"], { projectId: m!.projectId });
      const narrowed = await seedUser(db, f.orgId, "admin");
      await db.insert(projectRoles).values({ orgId: f.orgId, userId: narrowed.userId, projectId: m!.projectId, role: "viewer" });
      return { limited: limited.key, narrowed };
    });
    const body = { name: "x", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/Z" } };
    const { id } = (await (await call("POST", "/v1/channels", body)).json()) as { id: string };
    const asUser = (method: string, path: string, b?: unknown) =>
      app.request(path, { method, headers: { ...narrowed.headers(method !== "GET"), ...(b ? { "content-type": "application/json" } : {}) }, body: b ? JSON.stringify(b) : undefined }, localEnv);
    for (const res of [
      await call("POST", "/v1/channels", body, limited),
      await call("PATCH", `/v1/channels/${id}`, { name: "y" }, limited),
      await call("POST", `/v1/channels/${id}/test`, undefined, limited),
      await call("DELETE", `/v1/channels/${id}`, undefined, limited),
      await asUser("POST", "/v1/channels", body),
      await asUser("PATCH", `/v1/channels/${id}`, { name: "y" }),
      await asUser("DELETE", `/v1/channels/${id}`),
    ]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^a channel spans the whole org: /);
    }
    for (const res of [await call("GET", "/v1/channels", undefined, limited), await asUser("GET", "/v1/channels"), await asUser("GET", `/v1/channels/${id}`)]) expect(res.status).toBe(200);
    expect((await call("GET", `/v1/channels/${id}`)).status).toBe(200);
  });

  it("declares the org security schemes and the shared error body on every channel, rule, alert and delivery operation", async () => {
    const spec = (await (await app.request("/openapi.json", {}, localEnv)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, { content?: { "application/json"?: { schema?: { $ref?: string } } } }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ops = Object.entries(spec.paths)
      .filter(([path]) => /^\/v1\/(channels|rules|alerts|deliveries)(\/|$)/.test(path))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ where: `${method} ${path}`, op })));
    expect(ops.length).toBe(18);
    for (const { where, op } of ops) {
      expect(op.security, where).toEqual([{ apiKey: [] }, { session: [] }]);
      expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(["400", "401", "403"]));
      for (const [status, r] of Object.entries(op.responses)) if (/^[45]/.test(status)) expect(r.content?.["application/json"]?.schema?.$ref, `${where} ${status}`).toBe("#/components/schemas/Error");
    }
    expect(spec.components.schemas).not.toHaveProperty("AlertsError");
  });

  it("documents the alert, rule and channel routes in the OpenAPI spec", async () => {
    const res = await app.request("/openapi.json", {}, localEnv);
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, method] of [
      ["/v1/channels", "post"], ["/v1/channels/{id}/test", "post"], ["/v1/rules", "get"], ["/v1/rules/{id}", "patch"],
      ["/v1/alerts", "get"], ["/v1/alerts/{id}/ack", "post"], ["/v1/alerts/{id}/resolve", "post"], ["/v1/alerts/{id}/deliveries", "get"],
      ["/v1/deliveries/{id}/redeliver", "post"],
    ] as const) {
      expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      // Errors are documented too, not just the happy path.
      expect(Object.keys(spec.paths[path]![method]!.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });
});

describe("/v1/channels credentials", () => {
  const SLACK = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXabcd";
  const PD_KEY = "R0UT1NGKEY00000000000000000000AB";
  const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJklmn";

  async function readKey() {
    return withDb(async (db) => (await (await import("../testing/seed.ts")).seedKey(db, f.orgId, ["read"])).key);
  }

  it("no reader sees a Slack or Teams URL, a routing key or a token in full, in the list or one by one", async () => {
    const made = [
      await call("POST", "/v1/channels", { name: "s", kind: "slack", config: { url: SLACK } }),
      await call("POST", "/v1/channels", { name: "t", kind: "teams", config: { url: "https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=TEAMSSIGwxyz" } }),
      await call("POST", "/v1/channels", { name: "p", kind: "pagerduty", config: { routing_key: PD_KEY } }),
      await call("POST", "/v1/channels", { name: "g", kind: "retrain", config: { format: "github", repo: "acme/models", token: TOKEN } }),
    ];
    const created = (await Promise.all(made.map((r) => r.json()))) as Array<{ id: string; config: Record<string, unknown> }>;
    expect(created[0]!.config).toEqual({ url: "https://hooks.slack.com/…abcd" });
    const reader = await readKey();
    const list = (await (await call("GET", "/v1/channels", undefined, reader)).json()) as { channels: Array<{ id: string; config: Record<string, unknown> }> };
    const one = await Promise.all(created.map(async (c) => (await (await call("GET", `/v1/channels/${c.id}`, undefined, reader)).json()) as { config: Record<string, unknown> }));
    const shown = JSON.stringify([list, one, created]);
    for (const secret of ["XXXXXXXXXXXXabcd", "services/T0000", "TEAMSSIG", "workflows/abc", PD_KEY, TOKEN.slice(0, 20)]) expect(shown).not.toContain(secret);
    expect(one.map((c) => c.config)).toEqual([
      { url: "https://hooks.slack.com/…abcd" },
      { url: "https://prod-00.westus.logic.azure.com/…wxyz" },
      { routing_key: "…00AB" },
      expect.objectContaining({ format: "github", repo: "acme/models", token: "…klmn" }),
    ]);
  });

  it("PATCH with the masks read back keeps the stored credentials; a new value replaces them", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const { id } = (await (await call("POST", "/v1/channels", { name: "s", kind: "slack", config: { url: SLACK } })).json()) as { id: string };
    const read = (await (await call("GET", `/v1/channels/${id}`)).json()) as { config: Record<string, unknown> };
    const kept = await call("PATCH", `/v1/channels/${id}`, { name: "renamed", config: read.config });
    expect(kept.status).toBe(200);
    await call("POST", `/v1/channels/${id}/test`);
    expect(rec.requests.map((r) => r.url)).toEqual([SLACK]);
    const replaced = await call("PATCH", `/v1/channels/${id}`, { config: { url: "https://hooks.slack.com/services/T1/B1/NEWNEWNEWNEWwxyz" } });
    expect(((await replaced.json()) as { config: unknown }).config).toEqual({ url: "https://hooks.slack.com/…wxyz" });
    await call("POST", `/v1/channels/${id}/test`);
    expect(rec.requests.map((r) => r.url)).toEqual([SLACK, "https://hooks.slack.com/services/T1/B1/NEWNEWNEWNEWwxyz"]);
  });

  it("PATCH refuses a mask that is not the stored one, and a kept credential with a new destination", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const { id } = (await (await call("POST", "/v1/channels", { name: "p", kind: "pagerduty", config: { routing_key: PD_KEY, url: "https://pd.example.com/v2/enqueue" } })).json()) as { id: string };
    const wrong = await call("PATCH", `/v1/channels/${id}`, { config: { routing_key: "…9999", url: "https://pd.example.com/…ueue" } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]!.field).toBe("config.routing_key");
    const moved = await call("PATCH", `/v1/channels/${id}`, { config: { routing_key: "…00AB", url: "https://collector.example.net/steal" } });
    expect(moved.status).toBe(400);
    const err = (await moved.json()) as { error: { message: string; details: Array<{ field: string }> } };
    expect(err.error.details[0]!.field).toBe("config.routing_key");
    expect(err.error.message).toContain("config.url changes");
    // Nothing changed: the routing key still goes where it went.
    await call("POST", `/v1/channels/${id}/test`);
    expect(rec.requests.map((r) => [r.url, JSON.parse(r.body).routing_key])).toEqual([["https://pd.example.com/v2/enqueue", PD_KEY]]);
  });
});

describe("POST /v1/channels/{id}/test against an untrusted receiver", () => {
  it("refuses, without sending, a channel stored with a URL today's rule forbids", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const id = await withDb(async (db) => (await db.insert(channels).values({ orgId: f.orgId, name: "old", kind: "webhook", config: { url: "https://192.168.10.20/hook" }, secret: "whsec_old_secret_value" }).returning())[0]!.id);
    const res = await call("POST", `/v1/channels/${id}/test`, undefined, f.key, testEnv);
    expect(res.status).toBe(200);
    const out = (await res.json()) as { ok: boolean; status: string; error: string; status_code: number | null };
    expect(out).toMatchObject({ ok: false, status: "dead", status_code: null });
    expect(out.error).toContain("not sent: the receiver URL must not point at a non-public address (192.168.10.20: private");
    expect(rec.requests).toEqual([]);
  });

  it("shows the status line to everyone and a short redacted excerpt to admins only", async () => {
    const echo = `{"error":"bad request","echo":{"authorization":"Bearer SECRETBEARER","url":"https://receiver.example.com/hook"},"debug":"${"y".repeat(5000)}"}`;
    setOutboundFetch(async () => new Response(echo, { status: 400 }));
    const { id } = (await (await call("POST", "/v1/channels", { name: "t", kind: "webhook", config: { url: "https://receiver.example.com/hook" } })).json()) as { id: string };
    const writer = (await (await call("POST", `/v1/channels/${id}/test`)).json()) as Record<string, unknown>;
    expect(writer).toMatchObject({ ok: false, status_code: 400, error: "HTTP 400" });
    expect(writer).not.toHaveProperty("response_excerpt");
    const admin = await withDb(async (db) => (await (await import("../testing/seed.ts")).seedKey(db, f.orgId, ["read", "write", "admin"])).key);
    const reply = (await (await call("POST", `/v1/channels/${id}/test`, undefined, admin)).json()) as { error: string; response_excerpt: string };
    expect(reply.error).toBe("HTTP 400");
    expect(reply.response_excerpt).toContain('"error":"bad request"');
    expect(Array.from(reply.response_excerpt).length).toBeLessThanOrEqual(200);
    expect(reply.response_excerpt).not.toContain("SECRETBEARER");
    expect(reply.response_excerpt).not.toContain("/hook");
    // The delivery log holds the status line only (a due retry swept by the second call may
    // add an attempt of its own: every one of them is the bare status line).
    const log = await withDb((db) => db.select({ error: deliveryAttempts.error }).from(deliveryAttempts).innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId)).where(eq(deliveries.channelId, id)));
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(log.map((l) => l.error))]).toEqual(["HTTP 400"]);
  });
});
