import { describe, expect, it } from "vitest";
import { buildProfile } from "../../stats/profile/build.ts";
import { createApp } from "../app.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();

function client(key: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, headers: res.headers };
  };
  return call;
}

async function orgWithKey() {
  return withDb(async (db) => {
    const org = await seedOrg(db);
    return { org, key: (await seedKey(db, org.orgId, ["admin"])).key };
  });
}

const schema = [
  { name: "age", kind: "numerical", dtype: "int", range: { min: 0, max: 130 } },
  { name: "country", kind: "categorical", dtype: "string", categories: ["DE", "FR"], pii: "quasi-identifier" },
];
const rows = Array.from({ length: 200 }, (_, i) => ({ age: 20 + (i % 50), country: i % 3 ? "DE" : "FR" }));

describe("registry lifecycle over HTTP", () => {
  it("creates a model, versions with schema, baselines, promotes and archives, all audited", async () => {
    const { key } = await orgWithKey();
    const api = client(key);

    const created = await api("POST", "/v1/models", { name: "credit-risk", prediction_kind: "binary", owners: ["ml-team"], tags: { domain: "lending" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "credit-risk", project: "default", prediction_kind: "binary", owners: ["ml-team"] });
    expect((await api("POST", "/v1/models", { name: "credit-risk", prediction_kind: "binary" })).status).toBe(409);

    const badThreshold = await api("POST", "/v1/models/credit-risk/versions", { version: "v1", feature_schema: schema, thresholds: { income: { drift: 0.2 } } });
    expect(badThreshold.status).toBe(400);
    expect(badThreshold.body.error.details).toEqual([{ field: "thresholds.income", error: "not a feature of this version" }]);

    const v1 = await api("POST", "/v1/models/credit-risk/versions", {
      version: "v1",
      feature_schema: schema,
      thresholds: { age: { drift: 0.1, test: "psi" } },
      links: { artifact_uri: "s3://models/credit-risk/v1", git_commit: "0123abc" },
    });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: "v1", stage: "development", prediction_kind: "binary", feature_schema: schema, active_baseline: null });

    // Baselines: the stats/profile format, validated; several kept, one active.
    const profile = buildProfile(rows, { features: [{ name: "age" }, { name: "country", kind: "categorical" }] });
    const invalid = await api("POST", "/v1/models/credit-risk/versions/v1/baselines", { name: "broken", profile: { ...profile, version: 2 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/unsupported profile version 2/);
    const b1 = await api("POST", "/v1/models/credit-risk/versions/v1/baselines", { name: "training", profile });
    expect(b1.status).toBe(201);
    expect(b1.body).toMatchObject({ name: "training", format: "vigil.profile", format_version: "1", active: true, rows: 200, features: ["age", "country"] });
    // The active baseline reaches the version's monitor.
    expect((await api("GET", "/v1/models/credit-risk/versions/v1/monitor-stats")).body.baseline).toMatchObject({ status: "ready", source: "upload", rows: 200 });
    const b2 = await api("POST", "/v1/models/credit-risk/versions/v1/baselines", { name: "holdout", profile, activate: false });
    expect(b2.body.active).toBe(false);
    expect((await api("POST", `/v1/models/credit-risk/versions/v1/baselines/${b2.body.id}/activate`, { note: "holdout is fresher" })).body.active).toBe(true);
    const stored = await api("GET", `/v1/models/credit-risk/versions/v1/baselines/${b1.body.id}`);
    expect(stored.body).toMatchObject({ active: false, profile: { format: "vigil.profile", rows: 200 } });
    expect((await api("GET", "/v1/models/credit-risk/versions/v1")).body.active_baseline).toBe(b2.body.id);

    // Promotion archives the previous production version unless told otherwise.
    expect((await api("POST", "/v1/models/credit-risk/versions/v1/promote", { note: "first release" })).body).toMatchObject({ version: { stage: "production" }, archived: [] });
    await api("POST", "/v1/models/credit-risk/versions", { version: "v2", feature_schema: schema });
    expect((await api("POST", "/v1/models/credit-risk/versions/v2/promote", { stage: "staging" })).body.version.stage).toBe("staging");
    const promoted = await api("POST", "/v1/models/credit-risk/versions/v2/promote", {});
    expect(promoted.body).toMatchObject({ version: { version: "v2", stage: "production" }, archived: ["v1"] });
    await api("POST", "/v1/models/credit-risk/versions", { version: "v3" });
    const challenger = await api("POST", "/v1/models/credit-risk/versions/v3/promote", { archive_previous: false });
    expect(challenger.body.archived).toEqual([]);
    const production = await api("GET", "/v1/models/credit-risk/versions?stage=production&sort=version");
    expect(production.body.items.map((v: { version: string }) => v.version)).toEqual(["v2", "v3"]);
    expect((await api("POST", "/v1/models/credit-risk/versions/v3/promote", {})).status).toBe(409);

    const v1Now = await api("GET", "/v1/models/credit-risk/versions/v1");
    expect(v1Now.body.stage).toBe("archived");
    expect(v1Now.body.transitions.map((t: { from: string | null; to: string }) => [t.from, t.to])).toEqual([
      [null, "development"],
      ["development", "production"],
      ["production", "archived"],
    ]);
    expect(v1Now.body.transitions[2].note).toBe("superseded by v2");

    // Threshold edits are their own audit action, with before and after.
    const patched = await api("PATCH", "/v1/models/credit-risk/versions/v2", { thresholds: { country: { drift: 0.3 } }, note: "tighter" });
    expect(patched.body.thresholds).toEqual({ country: { drift: 0.3 } });
    const audit = await api("GET", "/v1/audit?action=thresholds.update");
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].details).toMatchObject({ before: { thresholds: {} }, after: { thresholds: { country: { drift: 0.3 } } }, note: "tighter" });
    const stages = await api("GET", "/v1/audit?action=model_version.stage&order=asc");
    expect(stages.body.items.map((e: { details: { after: { stage: string } } }) => e.details.after.stage)).toEqual(["production", "staging", "archived", "production", "production"]);
    expect((await api("GET", "/v1/audit/verify")).body).toMatchObject({ ok: true, first_broken: null });
  });

  it("pages through models with a cursor, filtered and sorted, without repeats", async () => {
    const { key } = await orgWithKey();
    const api = client(key);
    const names = ["m-e", "m-a", "m-d", "m-b", "m-c", "other"];
    for (const name of names) await api("POST", "/v1/models", { name, prediction_kind: "regression", tags: name === "other" ? {} : { team: "x" } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { name: string }[]; next_cursor: string | null } } = await api("GET", `/v1/models?tag=team:x&limit=2&sort=name&order=desc${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((m) => m.name));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["m-e", "m-d", "m-c", "m-b", "m-a"]);
    const byCreated = await api("GET", "/v1/models?sort=created_at&limit=3");
    expect(byCreated.body.items.map((m: { name: string }) => m.name)).toEqual(["m-e", "m-a", "m-d"]);
    const next = await api("GET", `/v1/models?sort=created_at&limit=3&cursor=${byCreated.body.next_cursor}`);
    expect(next.body.items.map((m: { name: string }) => m.name)).toEqual(["m-b", "m-c", "other"]);
    expect(next.body.next_cursor).toBeNull();
    const bad = await api("GET", "/v1/models?cursor=garbage");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/cursor/);
  });

  it("takes shards 1 to 16 on create and PATCH and refuses anything else with a 400 naming shards (issue 23)", async () => {
    const { key } = await orgWithKey();
    const api = client(key);
    await api("POST", "/v1/models", { name: "sharded", prediction_kind: "binary" });
    const plain = await api("POST", "/v1/models/sharded/versions", { version: "v0" });
    expect(plain.status).toBe(201);
    expect(plain.body.shards).toBe(1); // the default: the single-object path
    for (const [i, shards] of [0, 17, 1.5, "2", -1, null].entries()) {
      const created = await api("POST", "/v1/models/sharded/versions", { version: `bad-${i}`, shards });
      expect(created.status, `create with shards ${JSON.stringify(shards)}`).toBe(400);
      expect(created.body.error.details.map((d: { field: string }) => d.field), `create with shards ${JSON.stringify(shards)}`).toEqual(["shards"]);
      const patched = await api("PATCH", "/v1/models/sharded/versions/v0", { shards });
      expect(patched.status, `PATCH with shards ${JSON.stringify(shards)}`).toBe(400);
      expect(patched.body.error.details.map((d: { field: string }) => d.field), `PATCH with shards ${JSON.stringify(shards)}`).toEqual(["shards"]);
    }
    // None of the refused requests created or changed a version.
    expect((await api("GET", "/v1/models/sharded/versions")).body.items.map((v: { version: string }) => v.version)).toEqual(["v0"]);
    expect((await api("GET", "/v1/models/sharded/versions/v0")).body.shards).toBe(1);
    // The bounds themselves are accepted.
    expect((await api("POST", "/v1/models/sharded/versions", { version: "v16", shards: 16 })).body.shards).toBe(16);
    expect((await api("PATCH", "/v1/models/sharded/versions/v0", { shards: 4 })).body.shards).toBe(4);
    expect((await api("PATCH", "/v1/models/sharded/versions/v0", { shards: 1 })).body.shards).toBe(1);
    expect((await api("GET", "/v1/models/sharded/versions/v0")).body.shards).toBe(1);
  });

  it("takes shards \"auto\": shards stays the number in effect, shards_mode says the mode, and refuses other strings naming shards (issue 23)", async () => {
    const { key } = await orgWithKey();
    const api = client(key);
    await api("POST", "/v1/models", { name: "auto-sharded", prediction_kind: "binary" });
    const fixed = await api("POST", "/v1/models/auto-sharded/versions", { version: "fixed", shards: 2 });
    expect(fixed.body).toMatchObject({ shards: 2, shards_mode: "fixed" });
    const auto = await api("POST", "/v1/models/auto-sharded/versions", { version: "auto", shards: "auto" });
    expect(auto.status).toBe(201);
    expect(auto.body).toMatchObject({ shards: 1, shards_mode: "auto" }); // a new auto version starts at one shard
    expect((await api("GET", "/v1/models/auto-sharded/versions?sort=version")).body.items.map((v: { version: string; shards: number; shards_mode: string }) => [v.version, v.shards, v.shards_mode])).toEqual([["auto", 1, "auto"], ["fixed", 2, "fixed"]]);
    // PATCH "auto" keeps the shards in effect; a number goes back to fixed.
    expect((await api("PATCH", "/v1/models/auto-sharded/versions/fixed", { shards: "auto" })).body).toMatchObject({ shards: 2, shards_mode: "auto" });
    expect((await api("PATCH", "/v1/models/auto-sharded/versions/fixed", { shards: 3 })).body).toMatchObject({ shards: 3, shards_mode: "fixed" });
    // Another change leaves the mode alone.
    expect((await api("PATCH", "/v1/models/auto-sharded/versions/auto", { description: "grows" })).body).toMatchObject({ shards: 1, shards_mode: "auto" });
    for (const [i, shards] of ["AUTO", "fixed", "", true, { mode: "auto" }, ["auto"]].entries()) {
      const created = await api("POST", "/v1/models/auto-sharded/versions", { version: `bad-${i}`, shards });
      expect(created.status, `create with shards ${JSON.stringify(shards)}`).toBe(400);
      expect(created.body.error.details, `create with shards ${JSON.stringify(shards)}`).toEqual([{ field: "shards", error: 'must be a whole number from 1 to 16, or "auto"' }]);
      const patched = await api("PATCH", "/v1/models/auto-sharded/versions/auto", { shards });
      expect(patched.status, `PATCH with shards ${JSON.stringify(shards)}`).toBe(400);
      expect(patched.body.error.message).toMatch(/^invalid json: shards: /);
    }
    // The PATCHes are audited with the mode, before and after.
    const audit = await api("GET", "/v1/audit?action=model_version.update");
    expect(audit.body.items.map((e: { details: { before: { shards_mode: string }; after: { shards_mode: string } } }) => [e.details.before.shards_mode, e.details.after.shards_mode])).toEqual(expect.arrayContaining([["fixed", "auto"], ["auto", "fixed"]]));
    // The OpenAPI document says both forms.
    const doc = (await (await app.request("/openapi.json", {}, testEnv)).json()) as any;
    for (const name of ["CreateModelVersion", "UpdateModelVersion"]) {
      const forms = doc.components.schemas[name].properties.shards.anyOf ?? doc.components.schemas[name].properties.shards.oneOf;
      expect(forms, name).toEqual(expect.arrayContaining([expect.objectContaining({ type: "integer", minimum: 1, maximum: 16 }), expect.objectContaining({ type: "string", enum: ["auto"] })]));
    }
    expect(doc.components.schemas.ModelVersion.properties.shards_mode).toMatchObject({ type: "string", enum: ["fixed", "auto"] });
  });
});
