import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Binds `port` on `host` for a moment and lets go, so a launcher can refuse to start
 * before it claims anything when another process (often an earlier `npm start`) holds
 * the port; otherwise that process would answer the health check in its place.
 */
export function assertPortFree(port: number, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "is already in use (another `npm start`?)" : `cannot be bound (${err.code ?? err.message})`;
      reject(new Error(`port ${port} on ${host} ${why}; stop what holds it or choose another with PORT=<port>`));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
