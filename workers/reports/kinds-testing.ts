// Fixtures for the performance, model-risk, audit-trail and gdpr-processing report tests:
// calls through the real Worker, reports created and downloaded as parsed JSON (checked
// against docs/schemas/report.schema.json), and the
// monitor drained until its event-time series reached Postgres.
import { runDurableObjectAlarm } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { testEnv } from "../testing/seed.ts";
import { reportSchemaErrors } from "./schema-testing.ts";

export type Headers = Record<string, string>;

export const bearer = (key: string): Headers => ({ authorization: `Bearer ${key}` });

export async function request(headers: Headers, method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`http://127.0.0.1:8787${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** The call's JSON body, failing the test with the body when the status differs. */
export async function ok<T = any>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text.slice(0, 500)).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Generates a report and returns it with its downloaded file: the parsed document for JSON, the bytes otherwise. */
export async function generate(headers: Headers, body: Record<string, unknown>): Promise<{ report: any; doc: any; bytes: Uint8Array }> {
  const report = await ok(request(headers, "POST", "/v1/reports", body), 201);
  expect(report.status, report.error ?? "").toBe("succeeded");
  const res = await request(headers, "GET", `/v1/reports/${report.id}/download`);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const doc = body.format === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : null;
  // Every JSON report a test makes is held to the published schema.
  if (doc) expect(reportSchemaErrors(doc)).toEqual([]);
  return { report, doc, bytes };
}

/** Runs the monitor's alarm until every changed bucket's series point reached Postgres. */
export async function drained(orgId: string, model: string, version: string): Promise<void> {
  const stub = monitorStub(testEnv, orgId, model, version);
  for (let i = 0; i < 100; i++) {
    await runDurableObjectAlarm(stub);
    const stats = await stub.stats();
    if (stats.outbox === 0 && stats.seriesPending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the monitor of ${model} ${version} did not drain`);
}
