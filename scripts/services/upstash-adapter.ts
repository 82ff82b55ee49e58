// A local Upstash Redis REST endpoint in front of a real redis-server, for development
// and tests (Upstash REST protocol: POST ["CMD", …] to /, [[…]] to /pipeline or
// /multi-exec; with `Upstash-Encoding: base64` every string in a result except the
// status "OK" is base64, which is what @upstash/redis asks for by default).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";

export interface UpstashAdapter {
  url: string;
  token: string;
  close(): Promise<void>;
}

type Command = Array<string | number | boolean | null>;
type Reply = { result: unknown } | { error: string };

// Redis 7.0 rejects the `#!lua flags=…` shebang that @upstash/ratelimit's scripts
// start with (flags arrived in 7.0 for functions, in scripts only with allow-key-locking
// in later builds); the adapter strips it and remembers the client's SHA for EVALSHA.
const SHEBANG = /^#!lua[^\n]*\n/;

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

export async function startUpstashAdapter(options: { redisUrl: string; port?: number; token?: string }): Promise<UpstashAdapter> {
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  await redis.connect();
  const token = options.token ?? "local-dev-token";
  const shaAliases = new Map<string, string>();

  function rewrite(command: Command): string[] {
    const args = command.map((a) => (a === null ? "" : String(a)));
    const name = (args[0] ?? "").toUpperCase();
    const scriptAt = name === "EVAL" || name === "EVAL_RO" ? 1 : name === "SCRIPT" && (args[1] ?? "").toUpperCase() === "LOAD" ? 2 : -1;
    if (scriptAt > 0 && SHEBANG.test(args[scriptAt] ?? "")) {
      const original = args[scriptAt]!;
      const stripped = original.replace(SHEBANG, "");
      shaAliases.set(sha1(original), sha1(stripped));
      args[scriptAt] = stripped;
    }
    if ((name === "EVALSHA" || name === "EVALSHA_RO") && args[1] && shaAliases.has(args[1])) args[1] = shaAliases.get(args[1])!;
    return args;
  }

  function encode(value: unknown, base64: boolean): unknown {
    if (Buffer.isBuffer(value)) {
      const s = value.toString("utf8");
      return base64 && s !== "OK" ? value.toString("base64") : s;
    }
    if (typeof value === "string") return base64 && value !== "OK" ? Buffer.from(value).toString("base64") : value;
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  }

  async function runOne(command: Command, base64: boolean): Promise<Reply> {
    const [name, ...args] = rewrite(command);
    try {
      return { result: encode(await redis.callBuffer(name!, ...args), base64) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  async function runBatch(commands: Command[], base64: boolean, atomic: boolean): Promise<Reply[]> {
    const batch = atomic ? redis.multi() : redis.pipeline();
    for (const c of commands) {
      const [name, ...args] = rewrite(c);
      batch.callBuffer(name!, ...args);
    }
    const results = (await batch.exec()) ?? [];
    return results.map(([err, value]) => (err ? { error: err.message } : { result: encode(value, base64) }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString() || "null");
    } catch {
      return send(400, { error: "ERR failed to parse the request body as JSON" });
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body) || !body.every(Array.isArray)) return send(400, { error: "ERR the body must be an array of commands" });
      return send(200, await runBatch(body as Command[], base64, path === "/multi-exec"));
    }
    if (path === "/" && Array.isArray(body) && body.length > 0) {
      const reply = await runOne(body as Command, base64);
      return send("error" in reply ? 400 : 200, reply);
    }
    return send(400, { error: "ERR expected a command array at / or a list of them at /pipeline or /multi-exec" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
