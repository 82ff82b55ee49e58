import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { parseServerMessage, type ServerMessage } from "../../durable/protocol.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let writeKey = "";
let readKey = "";
let otherOrgKey = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    writeKey = (await seedKey(db, orgId, ["ingest", "write"])).key;
    readKey = (await seedKey(db, orgId, ["read"])).key;
    otherOrgKey = (await seedKey(db, (await seedOrg(db)).orgId, ["read"])).key;
  });
  const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
    method: "POST",
    headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "socket", version: "v1", events: [{ prediction_id: "s-0", features: { x: 1 }, prediction: 1 }] }),
  });
  expect(res.status).toBe(200);
});

const socketUrl = (query = "") => `http://vigil.test/parties/model-monitor/socket:v1${query}`;

async function open(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: ServerMessage[] }> {
  const res = await exports.default.fetch(url, { headers: { Upgrade: "websocket", ...headers } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: ServerMessage[] = [];
  ws.addEventListener("message", (e) => {
    const m = parseServerMessage(String(e.data));
    if (m) messages.push(m);
  });
  ws.accept();
  return { ws, messages };
}

describe("live socket /parties/model-monitor/<model>:<version>", () => {
  it("refuses a socket without credentials", async () => {
    const res = await exports.default.fetch(socketUrl(), { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(401);
  });

  it("does not find another org's model (404, never its data)", async () => {
    const res = await exports.default.fetch(socketUrl(`?key=${otherOrgKey}`), { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(404);
  });

  it("sends a snapshot on connect and an update per alarm tick (key in the query)", async () => {
    const { ws, messages } = await open(socketUrl(`?key=${readKey}`));
    try {
      await expect.poll(() => messages[0]?.type).toBe("snapshot");
      expect(messages[0]).toMatchObject({ model: "socket", version: "v1" });
      await exports.default.fetch("http://vigil.test/v1/ingest", {
        method: "POST",
        headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "socket", version: "v1", events: [{ prediction_id: "s-1", features: { x: 2 }, prediction: 0 }] }),
      });
      await runDurableObjectAlarm(monitorStub(testEnv, orgId, "socket", "v1"));
      await expect.poll(() => messages.find((m) => m.type === "update")).toMatchObject({ type: "update", totals: { events: 2 } });
    } finally {
      ws.close();
    }
  });

  it("accepts the key in the Authorization header, and serves GET …/live", async () => {
    const { ws, messages } = await open(socketUrl(), { authorization: `Bearer ${readKey}` });
    try {
      await expect.poll(() => messages[0]?.type).toBe("snapshot");
    } finally {
      ws.close();
    }
    const res = await exports.default.fetch("http://vigil.test/v1/models/socket/versions/v1/live", { headers: { authorization: `Bearer ${readKey}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: "snapshot", model: "socket", version: "v1" });
  });
});
