import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { resetLastUsedThrottle } from "../auth/authenticate.ts";
import { clearIsolateKeyCache } from "../auth/key-store.ts";
import { apiKeys } from "../db/schema/index.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();

function as(key: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
}

async function adminOf() {
  const { key, org } = await withDb(async (db) => {
    const org = await seedOrg(db);
    return { org, key: (await seedKey(db, org.orgId, ["admin"])).key };
  });
  return { org, admin: as(key) };
}

beforeEach(() => {
  clearIsolateKeyCache();
  resetLastUsedThrottle();
});

describe("/v1/keys", () => {
  it("shows a key once, lists prefixes only, and enforces its scopes", async () => {
    const { admin } = await adminOf();
    const created = await admin("POST", "/v1/keys", { name: "reader", scopes: ["read"] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^vgl_[0-9a-f]{8}_/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const list = await admin("GET", "/v1/keys");
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: "reader", prefix: created.body.prefix, scopes: ["read"], last_used_at: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    const reader = as(created.body.key);
    expect((await reader("GET", "/v1/models")).status).toBe(200);
    const denied = await reader("POST", "/v1/models", { name: "x", prediction_kind: "binary" });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(`API key ${created.body.prefix} lacks the "write" scope`);
    expect((await reader("GET", "/v1/keys")).status).toBe(403);
    expect((await admin("POST", "/v1/keys", { name: "bad", scopes: ["fly"] })).body.error.details[0].field).toBe("scopes.0");
  });

  it("records last_used_at on use", async () => {
    const { admin } = await adminOf();
    const created = await admin("POST", "/v1/keys", { name: "used", scopes: ["read"] });
    await as(created.body.key)("GET", "/v1/models");
    // The write happens after the response (waitUntil); poll briefly.
    let lastUsed: Date | null = null;
    for (let i = 0; i < 20 && !lastUsed; i++) {
      [{ lastUsed }] = (await withDb((db) => db.select({ lastUsed: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, created.body.id)))) as [{ lastUsed: Date | null }];
      if (!lastUsed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lastUsed).toBeInstanceOf(Date);
    expect(Math.abs(lastUsed!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("revokes at once (invalidating cached copies) and answers 404 for another org's key", async () => {
    const { admin } = await adminOf();
    const created = await admin("POST", "/v1/keys", { name: "doomed", scopes: ["read"] });
    const doomed = as(created.body.key);
    expect((await doomed("GET", "/v1/models")).status).toBe(200); // now cached in this isolate
    const revoked = await admin("DELETE", `/v1/keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const after = await doomed("GET", "/v1/models");
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked or expired/);
    expect((await admin("GET", "/v1/keys")).body.items.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    expect((await admin("GET", "/v1/keys?include_revoked=true")).body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);

    const stranger = await adminOf();
    expect((await stranger.admin("DELETE", `/v1/keys/${created.body.id}`)).status).toBe(404);
  });

  it("rotates with an overlap: both keys work until it ends, then only the new one", async () => {
    const { admin } = await adminOf();
    const original = await admin("POST", "/v1/keys", { name: "svc", scopes: ["read"] });
    expect((await as(original.body.key)("GET", "/v1/models")).status).toBe(200);
    const rotated = await admin("POST", `/v1/keys/${original.body.id}/rotate`, { overlap_seconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ name: "svc", scopes: ["read"], rotated_from: original.body.id });
    expect((await as(original.body.key)("GET", "/v1/models")).status).toBe(200);
    expect((await as(rotated.body.key)("GET", "/v1/models")).status).toBe(200);
    // End the overlap now: the old key stops working, the new one keeps going.
    const zero = await admin("POST", `/v1/keys/${rotated.body.id}/rotate`, { overlap_seconds: 0 });
    expect((await as(rotated.body.key)("GET", "/v1/models")).status).toBe(401);
    expect((await as(zero.body.key)("GET", "/v1/models")).status).toBe(200);
    const audit = await admin("GET", "/v1/audit?action=api_key.rotate");
    expect(audit.body.items).toHaveLength(2);
  });

  it("limits a key to a project or a model", async () => {
    const { admin } = await adminOf();
    await admin("POST", "/v1/projects", { slug: "fraud", name: "Fraud" });
    for (const [name, project] of [["in-default", undefined], ["in-fraud", "fraud"], ["also-fraud", "fraud"]] as const) {
      expect((await admin("POST", "/v1/models", { name, prediction_kind: "binary", ...(project && { project }) })).status).toBe(201);
    }
    const projectKey = as((await admin("POST", "/v1/keys", { name: "fraud team", scopes: ["write"], project: "fraud" })).body.key);
    expect((await projectKey("GET", "/v1/models")).body.items.map((m: { name: string }) => m.name).sort()).toEqual(["also-fraud", "in-fraud"]);
    expect((await projectKey("GET", "/v1/models/in-default")).status).toBe(404);
    expect((await projectKey("PATCH", "/v1/models/in-fraud", { description: "ok" })).status).toBe(200);
    expect((await projectKey("POST", "/v1/models", { name: "new-fraud", prediction_kind: "binary", project: "fraud" })).status).toBe(201);
    expect((await projectKey("POST", "/v1/models", { name: "escape", prediction_kind: "binary" })).status).toBe(404);

    const modelKeyResp = await admin("POST", "/v1/keys", { name: "one model", scopes: ["write"], model: "in-fraud" });
    expect(modelKeyResp.body).toMatchObject({ project: "fraud", model: "in-fraud" });
    const modelKey = as(modelKeyResp.body.key);
    expect((await modelKey("GET", "/v1/models")).body.items.map((m: { name: string }) => m.name)).toEqual(["in-fraud"]);
    expect((await modelKey("GET", "/v1/models/also-fraud")).status).toBe(404);
    expect((await modelKey("POST", "/v1/models/in-fraud/versions", { version: "v1" })).status).toBe(201);
    expect((await modelKey("POST", "/v1/models", { name: "sneaky", prediction_kind: "binary", project: "fraud" })).status).toBe(403);
  });
});
