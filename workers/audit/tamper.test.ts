import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();

async function orgWithHistory() {
  const { key, orgId } = await withDb(async (db) => {
    const org = await seedOrg(db);
    return { orgId: org.orgId, key: (await seedKey(db, org.orgId, ["admin"])).key };
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": "req-42" }, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  for (const name of ["a", "b", "c"]) expect((await call("POST", "/v1/models", { name, prediction_kind: "binary" })).status).toBe(201);
  await call("PATCH", "/v1/models/b", { description: "changed", note: "why not" });
  return { orgId, call };
}

describe("audit log", () => {
  it("records who changed what, with before/after, request id and note, and filters and exports as JSON Lines", async () => {
    const { call } = await orgWithHistory();
    const page = JSON.parse((await call("GET", "/v1/audit?action=model.update")).text);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actor: { type: "api_key" },
      action: "model.update",
      target: { type: "model" },
      details: { before: { description: "" }, after: { description: "changed" }, note: "why not", request_id: "req-42" },
    });
    const first = await call("GET", "/v1/audit?order=asc&limit=2&format=jsonl");
    expect(first.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const lines = first.text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(["model.create", "model.create"]);
    const rest = await call("GET", `/v1/audit?order=asc&format=jsonl&cursor=${first.headers.get("x-next-cursor")}`);
    expect(rest.text.trim().split("\n").map((l) => JSON.parse(l).action)).toEqual(["model.create", "model.update"]);
    expect(lines[1].prev_hash).toBe(lines[0].hash);
  });

  it("refuses UPDATE and DELETE to the application, and verify finds a row changed behind its back", async () => {
    const { orgId, call } = await orgWithHistory();
    expect(JSON.parse((await call("GET", "/v1/audit/verify")).text)).toMatchObject({ ok: true, checked: 4, first_broken: null });

    const rows = await withDb((db) => db.execute<{ id: string }>(sql`select id from audit_log where org_id = ${orgId} order by id`));
    const second = Number(rows.rows[1]!.id);
    await withDb(async (db) => {
      await expect(db.execute(sql`update audit_log set action = 'model.delete' where id = ${second}`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/audit_log is append-only/) } });
      await expect(db.execute(sql`delete from audit_log where id = ${second}`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/audit_log is append-only/) } });
      // Someone with superuser rights bypasses the trigger and edits a record...
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update audit_log set details = jsonb_set(details, '{after,name}', '"z"') where id = ${second}`);
      });
    });
    // ...and verification names that record as the first broken link.
    const report = JSON.parse((await call("GET", "/v1/audit/verify")).text);
    expect(report).toMatchObject({ ok: false, checked: 1, first_broken: { id: second, reason: "hash_mismatch" } });
  });

  it("detects a deleted record as a broken prev_hash link", async () => {
    const { orgId, call } = await orgWithHistory();
    const rows = await withDb((db) => db.execute<{ id: string }>(sql`select id from audit_log where org_id = ${orgId} order by id`));
    const [second, third] = [Number(rows.rows[1]!.id), Number(rows.rows[2]!.id)];
    await withDb((db) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from audit_log where id = ${second}`);
      }),
    );
    const report = JSON.parse((await call("GET", "/v1/audit/verify")).text);
    expect(report).toMatchObject({ ok: false, checked: 1, first_broken: { id: third, reason: "prev_hash_mismatch" } });
  });
});
