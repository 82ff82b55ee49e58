// A local stand-in for Vigil's ingest routes that fails on cue, for the SDK's retry,
// backoff and idempotency tests. It keeps Vigil's contract where the tests lean on it:
// a batch id is stored once and a repeat comes back `duplicate: true` with nothing
// counted again; gzip bodies are inflated; errors use the one error body.
// Each request takes the next scripted action (then "ok" forever):
//   { status, retryAfter?, code? }  answer with that status and the error body
//   { reset: true }                 cut the connection before any reply
//   { lostReply: true }             store the batch, then cut the connection (the
//                                   sender cannot know it was stored)
//   { delayMs }                     store and answer after a pause
// With `upstream` (a running Vigil) it forwards every request instead of storing it, and
// applies the action around the real reply: `{ status: 503 }` then means "Vigil stored
// the batch, the sender is told 503", the end-to-end test of a retry never double-counting.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export type FaultAction = { status: number; retryAfter?: string; code?: string } | { reset: true } | { lostReply: true } | { delayMs: number } | "ok";

export interface ReceivedRequest {
  at: number;
  path: string;
  headers: IncomingMessage["headers"];
  /** The raw body as sent (gzip bytes when compressed). */
  raw: Buffer;
  body: Record<string, unknown>;
}

export interface FaultServer {
  url: string;
  requests: ReceivedRequest[];
  /** Events (and actuals, outcomes) counted once per batch id, as Vigil counts them. */
  counted(): number;
  /** Prediction ids counted, in arrival order. */
  countedIds(): string[];
  script(...actions: FaultAction[]): void;
  /** Holds every reply until release() (a stalled Vigil), so the sender's queue fills. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

function records(body: Record<string, unknown>): { prediction_id?: unknown }[] {
  const list = body.events ?? body.actuals ?? body.outcomes;
  return Array.isArray(list) ? (list as { prediction_id?: unknown }[]) : [];
}

async function forward(upstream: string, req: IncomingMessage, raw: Buffer): Promise<{ status: number; type: string; body: string }> {
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "content-encoding", "authorization"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const res = await fetch(`${upstream}${req.url ?? ""}`, { method: req.method ?? "POST", headers, body: new Uint8Array(raw) });
  return { status: res.status, type: res.headers.get("content-type") ?? "application/json", body: await res.text() };
}

export async function startFaultServer(options: { upstream?: string } = {}): Promise<FaultServer> {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, string[]>();
  let actions: FaultAction[] = [];
  let held: (() => void)[] | null = null;

  function store(body: Record<string, unknown>): { duplicate: boolean; accepted: number; batchId: string } {
    const list = records(body);
    const batchId = typeof body.batch_id === "string" ? body.batch_id : `anon-${stored.size}`;
    const duplicate = stored.has(batchId);
    if (!duplicate) stored.set(batchId, list.map((r) => String(r.prediction_id)));
    return { duplicate, accepted: stored.get(batchId)!.length, batchId };
  }

  function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
    const body = JSON.parse(text) as Record<string, unknown>;
    requests.push({ at: Date.now(), path: req.url ?? "", headers: req.headers, raw, body });
    const action = actions.shift() ?? "ok";
    if (held) await new Promise<void>((resolve) => held!.push(resolve));
    if (action !== "ok" && "reset" in action) return req.socket.destroy();
    if (options.upstream) {
      const real = await forward(options.upstream, req, raw);
      if (real.status < 300) store(body);
      if (action !== "ok" && "lostReply" in action) return req.socket.destroy();
      if (action !== "ok" && "status" in action) return reply(res, action.status, { error: { code: "forced", message: `forced ${action.status} after Vigil answered ${real.status}` } });
      res.writeHead(real.status, { "content-type": real.type });
      return res.end(real.body);
    }
    if (action !== "ok" && "status" in action) {
      const headers: Record<string, string> = action.retryAfter === undefined ? {} : { "retry-after": action.retryAfter };
      return reply(res, action.status, { error: { code: action.code ?? `status_${action.status}`, message: `scripted ${action.status}` } }, headers);
    }
    const result = store(body);
    if (action !== "ok" && "lostReply" in action) return req.socket.destroy();
    if (action !== "ok" && "delayMs" in action) await new Promise((r) => setTimeout(r, action.delayMs));
    const n = records(body).length;
    if (req.url === "/v1/actuals") return reply(res, 200, { matched: n, unmatched: 0, already_labeled: 0, unmatched_ids: [], rejected: [], rejected_count: 0 });
    if (req.url === "/v1/outcomes") return reply(res, 200, { accepted: n, rejected: [], rejected_count: 0 });
    return reply(res, 200, { accepted: result.accepted, rejected: [], rejected_count: 0, batch_id: result.batchId, duplicate: result.duplicate });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => reply(res, 500, { error: { code: "fault_server", message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    counted: () => [...stored.values()].reduce((n, ids) => n + ids.length, 0),
    countedIds: () => [...stored.values()].flat(),
    script: (...next) => {
      actions = next;
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const resume of waiting) resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
