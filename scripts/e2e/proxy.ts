import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface DroppableProxy {
  port: number;
  /** Cuts every open connection and refuses new ones, like a network outage. */
  drop(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the stack, so a test can pull the network cable on the
 * browser (HTTP and WebSocket alike) without touching the server.
 */
export async function droppableProxy(targetPort: number): Promise<DroppableProxy> {
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(targetPort, "127.0.0.1");
    open.add(client).add(upstream);
    const forget = () => (open.delete(client), open.delete(upstream));
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => (upstream.destroy(), forget()));
    upstream.on("close", () => (client.destroy(), forget()));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    drop() {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
