// The Neon relay against a plain TCP echo server standing in for Postgres: a client
// without an Origin (the Neon driver in workerd) is relayed; a browser's handshake,
// which always carries an Origin, is refused with 403 before any byte reaches Postgres.
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { startNeonRelay, type Relay } from "./neon-relay.ts";

let echo: Server | undefined;
let relay: Relay | undefined;
let received = 0;

afterEach(async () => {
  await relay?.close();
  await new Promise((r) => (echo ? echo.close(r) : r(undefined)));
  relay = undefined;
  echo = undefined;
  received = 0;
});

async function start(): Promise<Relay> {
  echo = createServer((socket) =>
    socket.on("data", (d) => {
      received += d.length;
      socket.write(d);
    }),
  );
  await new Promise<void>((r) => echo!.listen(0, "127.0.0.1", r));
  relay = await startNeonRelay({ target: { host: "127.0.0.1", port: (echo.address() as AddressInfo).port } });
  return relay;
}

/** Opens a socket; resolves with the echoed bytes, or the HTTP status that refused the upgrade. */
function roundTrip(url: string, options: WebSocket.ClientOptions): Promise<{ echoed?: string; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on("open", () => ws.send(Buffer.from("ping")));
    ws.on("message", (data: Buffer) => {
      ws.close();
      resolve({ echoed: data.toString() });
    });
    ws.on("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode });
      ws.terminate();
    });
    ws.on("error", reject);
  });
}

describe("neon relay", () => {
  it("relays a client that sends no Origin (as workerd's Neon driver does)", async () => {
    const r = await start();
    expect(await roundTrip(`ws://${r.proxy}`, {})).toEqual({ echoed: "ping" });
  });

  it.each([
    ["a web page", "https://evil.example"],
    ["a page on loopback", "http://127.0.0.1:8787"],
    ["an opaque origin", "null"],
  ])("refuses a browser handshake from %s with 403, relaying nothing", async (_name, origin) => {
    const r = await start();
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await roundTrip(`ws://${r.proxy}`, { origin })).toEqual({ status: 403 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toBe(0);
    expect(r.openConnections()).toBe(0);
  });
});
