// A small local Kafka REST Proxy: the subset of Confluent's v3 and v2 produce APIs
// Vigil uses, producing with kafkajs. It stands in front of librdkafka's mock cluster
// in tests and local runs (DEVELOPERS.md "Kafka locally"); it is not a production proxy.
//   GET  /v3/clusters                                   → one cluster, id "vigil-local"
//   POST /v3/clusters/{id}/topics/{topic}/records       → { key?, value } with { type, data },
//        one record or several as concatenated JSON (the streaming mode), one delivery
//        report per record, concatenated, in order
//   POST /topics/{topic}  (application/vnd.kafka.json.v2+json) → { records: [{ key?, value, partition? }] }
// With credentials configured it requires them as a real secured proxy does (HTTP Basic
// or Bearer; 401 otherwise), so tests prove Vigil sends them. It counts requests, and
// can be told to fail chosen records with a retriable error, for partial-failure tests.
// Run alone: node scripts/services/kafka-rest-bridge.ts [--brokers host:port | --mock] [--port 8082]
//            [--username U --password P | --token T]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { startMockKafka } from "./kafka-mock.ts";

export const CLUSTER_ID = "vigil-local";

export interface KafkaRestBridge {
  url: string;
  /** Produce requests answered so far, per topic. */
  requests(topic: string): number;
  /** Fails the next `count` records sent to `topic` with a retriable per-record error. */
  failNextRecords(topic: string, count: number): void;
  close(): Promise<void>;
}

export type BridgeCredentials = { username: string; password: string } | { token: string };

function expectedAuthorization(credentials: BridgeCredentials | undefined): string | undefined {
  if (credentials === undefined) return undefined;
  if ("token" in credentials) return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readText(req));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

/**
 * Concatenated JSON objects (v3 streaming produce), split at top-level object ends. Written
 * apart from the client's parser (workers/clients/kafka-rest.ts) on purpose: a test double
 * sharing the code under test would hide that code's bugs.
 */
function concatenatedObjects(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) {
      try {
        out.push(JSON.parse(text.slice(start, i + 1)));
      } catch {
        throw new HttpError(400, "a record is not valid JSON");
      }
    }
  }
  if (depth !== 0 || out.length === 0) throw new HttpError(400, "body is not one or more JSON records");
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** v3 `{ type, data }`: JSON data is serialized, STRING kept, BINARY base64-decoded. */
function v3Data(field: unknown, what: string): Buffer | string | null {
  if (field === undefined || field === null) return null;
  if (!isRecord(field)) throw new HttpError(400, `${what} must be an object { type, data }`);
  const type = typeof field.type === "string" ? field.type.toUpperCase() : "JSON";
  if (type === "BINARY") return Buffer.from(String(field.data), "base64");
  if (type === "STRING") return String(field.data);
  return JSON.stringify(field.data);
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": type });
  res.end(JSON.stringify(body));
}

export async function startKafkaRestBridge(options: { brokers: string; port?: number; credentials?: BridgeCredentials }): Promise<KafkaRestBridge> {
  const kafka = new Kafka({ clientId: "vigil-kafka-rest-bridge", brokers: [options.brokers], logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const authorization = expectedAuthorization(options.credentials);
  const requestCounts = new Map<string, number>();
  const failing = new Map<string, number>();
  const countRequest = (topic: string) => requestCounts.set(topic, (requestCounts.get(topic) ?? 0) + 1);
  /** Whether the next record to `topic` is one a test asked to fail. */
  const failsNext = (topic: string): boolean => {
    const left = failing.get(topic) ?? 0;
    if (left <= 0) return false;
    failing.set(topic, left - 1);
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://bridge");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (authorization !== undefined && req.headers.authorization !== authorization) {
      throw new HttpError(401, "authentication required: wrong or missing credentials");
    }
    if (req.method === "GET" && url.pathname === "/topics") {
      return send(res, 200, [], "application/vnd.kafka.v2+json");
    }
    if (req.method === "GET" && url.pathname === "/v3/clusters") {
      return send(res, 200, { kind: "KafkaClusterList", data: [{ kind: "KafkaCluster", cluster_id: CLUSTER_ID }] });
    }
    if (req.method === "POST" && parts.length === 6 && parts[0] === "v3" && parts[1] === "clusters" && parts[3] === "topics" && parts[5] === "records") {
      if (parts[2] !== CLUSTER_ID) throw new HttpError(404, `cluster ${parts[2]} not found`);
      const records = concatenatedObjects(await readText(req));
      const topic = parts[4]!;
      countRequest(topic);
      const failed = records.map(() => failsNext(topic));
      const messages = records.filter((_, i) => !failed[i]).map((body) => {
        if (!isRecord(body)) throw new HttpError(400, "record must be an object");
        return { key: v3Data(body.key, "key"), value: v3Data(body.value, "value") };
      });
      // One producer send for the request; the reports carry its first partition and base
      // offset (this bridge does not track offsets per record; Vigil reads only error_code).
      const [meta] = messages.length > 0 ? await producer.send({ topic, messages }) : [];
      const reports = failed.map((f) =>
        JSON.stringify(
          f
            ? { error_code: 503, message: "injected retriable failure" }
            : { error_code: 200, cluster_id: CLUSTER_ID, topic_name: topic, partition_id: meta?.partition ?? 0, offset: Number(meta?.baseOffset ?? 0) },
        ),
      );
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(reports.join("\n"));
    }
    if (req.method === "POST" && parts.length === 2 && parts[0] === "topics") {
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
      if (type !== "application/vnd.kafka.json.v2+json") throw new HttpError(415, `v2 produce needs application/vnd.kafka.json.v2+json, got ${type || "(none)"}`);
      const body = await readJson(req);
      if (!isRecord(body) || !Array.isArray(body.records)) throw new HttpError(422, "body must be { records: [...] }");
      const topic = parts[1]!;
      countRequest(topic);
      const failed = body.records.map(() => failsNext(topic));
      const messages = body.records.filter((_, i) => !failed[i]).map((r: unknown) => {
        if (!isRecord(r)) throw new HttpError(422, "each record must be an object");
        return {
          key: r.key === undefined || r.key === null ? null : typeof r.key === "string" ? r.key : JSON.stringify(r.key),
          value: JSON.stringify(r.value ?? null),
          ...(typeof r.partition === "number" ? { partition: r.partition } : {}),
        };
      });
      // One producer send for the request; see the v3 route on offsets.
      const [meta] = messages.length > 0 ? await producer.send({ topic, messages }) : [];
      const offsets = failed.map((f) =>
        f
          ? { partition: null, offset: null, error_code: 2, error: "injected retriable failure" }
          : { partition: meta?.partition ?? 0, offset: Number(meta?.baseOffset ?? 0), error_code: null, error: null },
      );
      return send(res, 200, { key_schema_id: null, value_schema_id: null, offsets }, "application/vnd.kafka.v2+json");
    }
    throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { error_code: status, message: (error as Error).message });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: (topic) => requestCounts.get(topic) ?? 0,
    failNextRecords: (topic, count) => void failing.set(topic, count),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await producer.disconnect();
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const mock = args.includes("--mock") || !arg("--brokers") ? await startMockKafka() : undefined;
  const brokers = arg("--brokers") ?? mock!.brokers;
  const username = arg("--username");
  const password = arg("--password");
  const token = arg("--token");
  const credentials = token ? { token } : username && password ? { username, password } : undefined;
  const bridge = await startKafkaRestBridge({ brokers, port: Number(arg("--port") ?? 8082), ...(credentials ? { credentials } : {}) });
  console.log(`Kafka REST bridge on ${bridge.url} → ${brokers}${mock ? " (librdkafka mock cluster)" : ""}`);
  const stop = async () => {
    await bridge.close();
    await mock?.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
