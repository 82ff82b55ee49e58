import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseServerMessage, type ServerMessage } from "./protocol.ts";

async function openSocket(path: string): Promise<WebSocket> {
  const res = await exports.default.fetch(`http://vigil.test${path}`, { headers: { Upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error("no webSocket on the 101 response");
  ws.accept();
  return ws;
}

function nextMessage(ws: WebSocket): Promise<ServerMessage | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message within 5 s")), 5_000);
    ws.addEventListener("message", (event) => {
      clearTimeout(timer);
      resolve(parseServerMessage(String(event.data)));
    }, { once: true });
  });
}

describe("ModelMonitor", () => {
  it("greets a dashboard socket with its model and version", async () => {
    const ws = await openSocket("/parties/model-monitor/credit-risk:v3");
    try {
      const msg = await nextMessage(ws);
      expect(msg).toMatchObject({ type: "snapshot", model: "credit-risk", version: "v3" });
    } finally {
      ws.close();
    }
  });

  it("tells a socket on a malformed room what is wrong", async () => {
    const ws = await openSocket("/parties/model-monitor/no-version");
    try {
      expect(await nextMessage(ws)).toEqual({ type: "error", code: "bad_room", message: 'room must be <model>:<version>, got "no-version"' });
    } finally {
      ws.close();
    }
  });

  it("keeps its state in SQLite storage across requests", async () => {
    const first = await exports.default.fetch("http://vigil.test/parties/model-monitor/fraud:v1");
    const a = (await first.json()) as { room: string; createdAt: string };
    const second = await exports.default.fetch("http://vigil.test/parties/model-monitor/fraud:v1");
    const b = (await second.json()) as { room: string; createdAt: string };
    expect(a.room).toBe("fraud:v1");
    expect(b.createdAt).toBe(a.createdAt);
  });
});

describe("parseServerMessage", () => {
  it.each([
    ["not json", undefined],
    ['{"type":"snapshot","model":"m"}', undefined],
    ['{"type":"surprise"}', undefined],
    ['{"type":"error","code":"c","message":"m"}', { type: "error", code: "c", message: "m" }],
  ])("parses %s", (raw, expected) => {
    expect(parseServerMessage(raw)).toEqual(expected);
  });
});
