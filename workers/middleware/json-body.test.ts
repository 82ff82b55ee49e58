// JSON API bodies are read with limits before any validator parses them: a 30 MB body of
// empty objects to the public sign-in route is refused while it streams, an over-long
// declared length at once, and ordinary bodies (including gzip) still reach their routes.
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { MAX_JSON_BODY_BYTES } from "./json-body.ts";

const app = createApp();

function streamOf(parts: number, part: string): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const bytes = new TextEncoder().encode(part);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= parts) return controller.close();
      pulled += 1;
      controller.enqueue(bytes);
    },
  });
  return { body, pulled: () => pulled };
}

describe("JSON API bodies", () => {
  it("refuses a 30 MB body of empty objects to the public sign-in route with 413 while reading it", async () => {
    const chunk = "{},".repeat(10_000);
    const head = '{"email":"a@example.test","password":"x","org":[';
    const { body, pulled } = streamOf(1_000, chunk);
    const joined = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
      },
      async pull(controller) {
        const reader = body.getReader();
        const { value, done } = await reader.read();
        reader.releaseLock();
        if (done) controller.close();
        else controller.enqueue(value);
      },
    });
    const res = await app.request("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: joined, duplex: "half" } as RequestInit, testEnv);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("body_too_complex");
    // 1,000 parts of 30 KB were offered; the budget (8 objects per field, 1,000 fields) stops within the first few.
    expect(pulled()).toBeLessThan(20);
  });

  it("refuses a declared length over the limit before reading", async () => {
    const res = await app.request("/v1/sessions", { method: "POST", headers: { "content-type": "application/json", "content-length": String(MAX_JSON_BODY_BYTES + 1) }, body: "{}" }, testEnv);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("still hands ordinary bodies, plain or gzip, to the route's validator", async () => {
    const key = await withDb(async (db) => (await seedKey(db, (await seedOrg(db)).orgId, ["admin"])).key);
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const plain = await app.request("/v1/projects", { method: "POST", headers, body: JSON.stringify({ slug: "plain", name: "Plain" }) }, testEnv);
    expect(plain.status).toBe(201);
    const gz = new Response(new Blob([JSON.stringify({ slug: "zipped", name: "Zipped" })]).stream().pipeThrough(new CompressionStream("gzip")));
    const zipped = await app.request("/v1/projects", { method: "POST", headers: { ...headers, "content-encoding": "gzip" }, body: await gz.arrayBuffer() }, testEnv);
    expect(zipped.status).toBe(201);
    const bad = await app.request("/v1/projects", { method: "POST", headers, body: "{not json" }, testEnv);
    expect(bad.status).toBe(400);
  });

  it("leaves an empty body alone on routes that take none (a JSON client sends Content-Length: 0)", async () => {
    const { key, id } = await withDb(async (db) => {
      const orgId = (await seedOrg(db)).orgId;
      return { key: (await seedKey(db, orgId, ["admin"])).key, id: (await seedKey(db, orgId, ["read"])).id };
    });
    const res = await app.request(`/v1/keys/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": "0" }, body: "" }, testEnv);
    expect(res.status).toBe(200);
  });
});
