import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { FrontendMessageScanner } from "./pg-frontend-scanner.ts";

export interface RelayOptions {
  /** The Postgres every connection is relayed to. The `address` a client asks for is ignored, so this is no open proxy. */
  target: { host: string; port: number };
  port?: number;
  host?: string;
}

export interface Relay {
  port: number;
  /** What the Neon driver needs as `neonConfig.wsProxy` base (NEON_WS_PROXY). */
  proxy: string;
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * The local stand-in for Neon's WebSocket proxy: one TCP connection to Postgres per
 * WebSocket, raw protocol bytes both ways. It ends the TCP side itself when the
 * client sends Terminate rather than trusting every server to: pglite-socket kept a
 * connection open after Terminate and ran out of its few slots (the embedded server,
 * scripts/services/pglite-session-server.ts, now closes on Terminate too).
 *
 * It refuses, with 403, every upgrade that carries an `Origin` header. Browsers send one
 * on every WebSocket handshake and let any page open a socket to 127.0.0.1, so without
 * this check a web page the developer visits could talk to the local database (DNS
 * rebinding changes nothing: the page's Origin still comes along). The Neon driver
 * inside workerd, the relay's only intended client, sends none (start.test.ts runs the
 * whole stack through this check). The database's password is the second lock.
 */
export async function startNeonRelay(options: RelayOptions): Promise<Relay> {
  const wss = new WebSocketServer({
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    perMessageDeflate: false,
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      // Sec-WebSocket-Origin is what hybi-08 era browsers sent instead.
      const origin = info.req.headers.origin ?? info.req.headers["sec-websocket-origin"];
      if (origin === undefined) return done(true);
      console.error(`neon relay: refused a WebSocket from browser origin ${JSON.stringify(String(origin).slice(0, 200))}`);
      done(false, 403, "browser origins may not reach the database");
    },
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const sockets = new Set<Socket>();
  wss.on("connection", (ws) => sockets.add(relayOne(ws, options.target, sockets)));
  const port = (wss.address() as AddressInfo).port;
  return {
    port,
    proxy: `${options.host ?? "127.0.0.1"}:${port}/v2`,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function relayOne(ws: WebSocket, target: { host: string; port: number }, live: Set<Socket>): Socket {
  const tcp = connect(target.port, target.host);
  tcp.setNoDelay(true);
  const scanner = new FrontendMessageScanner();
  const pending: Buffer[] = [];
  let connected = false;
  let terminated = false;

  const closeBoth = () => {
    live.delete(tcp);
    if (!tcp.destroyed) tcp.end();
    if (ws.readyState !== ws.OPEN && ws.readyState !== ws.CONNECTING) return;
    // After Terminate the client closes its WebSocket itself; closing it from here at
    // the same moment makes workerd report "Network connection lost" to the driver.
    if (terminated) setTimeout(() => ws.readyState === ws.OPEN && ws.close(), 2_000).unref();
    else ws.close();
  };

  tcp.on("connect", () => {
    connected = true;
    for (const chunk of pending.splice(0)) tcp.write(chunk);
  });
  tcp.on("data", (data) => {
    if (ws.readyState === ws.OPEN) ws.send(data);
  });
  tcp.on("close", closeBoth);
  tcp.on("error", (err) => {
    console.error(`neon relay: postgres ${target.host}:${target.port}: ${err.message}`);
    closeBoth();
  });

  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    terminated = scanner.push(chunk);
    if (connected) tcp.write(chunk);
    else pending.push(chunk);
    if (terminated) {
      // Let the Terminate reach Postgres, then close our side either way.
      tcp.end();
      live.delete(tcp);
    }
  });
  ws.on("close", closeBoth);
  ws.on("error", closeBoth);
  return tcp;
}
