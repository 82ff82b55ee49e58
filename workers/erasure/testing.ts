// Test helpers for erasure: an org with keys, ingest and request calls through the real
// Worker, and a scan of a ModelMonitor's whole SQLite for a string.
import { exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { ModelMonitorServer } from "../../durable/model-monitor.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { runErasures } from "./run.ts";

export interface ErasureOrg {
  orgId: string;
  admin: string;
  ingest: string;
}

export async function seedErasureOrg(): Promise<ErasureOrg> {
  return withDb(async (db) => {
    const { orgId } = await seedOrg(db);
    return { orgId, admin: (await seedKey(db, orgId, ["admin"])).key, ingest: (await seedKey(db, orgId, ["ingest", "read", "write"])).key };
  });
}

export function call(key: string, method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`http://vigil.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

export async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Runs the org's unfinished requests to their end (the background run may not have finished yet), then reads the request. */
export async function settle(org: ErasureOrg, id: string): Promise<any> {
  for (let i = 0; i < 50; i++) {
    await runErasures(testEnv, org.orgId);
    const view = await json(await call(org.admin, "GET", `/v1/erasure/${id}`), 200);
    if (view.status === "done" || view.status === "failed") return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`erasure ${id} did not finish`);
}

/** Every table and row of the object's SQLite, as text (blobs decoded as UTF-8), for "is this string anywhere" checks. */
export async function monitorText(orgId: string, model: string, version: string): Promise<string> {
  return runInDurableObject(monitorStub(testEnv, orgId, model, version), (_i: ModelMonitorServer, state) => {
    const sql = state.storage.sql;
    const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).toArray();
    const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
    const parts: string[] = [];
    for (const { name } of tables) {
      for (const row of sql.exec(`SELECT * FROM "${name}"`)) {
        for (const value of Object.values(row)) parts.push(value instanceof ArrayBuffer ? decoder.decode(value) : String(value));
      }
    }
    return parts.join("\n");
  });
}
