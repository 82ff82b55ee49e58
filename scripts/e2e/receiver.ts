// A local HTTP receiver that records every request (raw body and headers) and answers
// with scripted statuses: the stand-in for webhook endpoints, Slack, PagerDuty and Teams.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Statuses to answer for a path, in order; the last repeats. Default 200. */
  script(path: string, statuses: number[]): void;
  waitFor(predicate: (r: ReceivedRequest[]) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, number[]>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      const statuses = scripts.get(path) ?? [200];
      const status = statuses[Math.min(n, statuses.length - 1)]!;
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "scripted failure");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (path, statuses) => void scripts.set(path, statuses),
    async waitFor(predicate, timeoutMs) {
      const t0 = Date.now();
      while (!predicate(requests)) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`receiver: condition not met within ${timeoutMs} ms; got ${requests.length} request(s)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
