// A small local Kafka REST Proxy: the subset of Confluent's v3 and v2 produce APIs
// Vigil uses, producing with kafkajs. It stands in front of librdkafka's mock cluster
// in tests and local runs (DEVELOPERS.md "Kafka locally"); it is not a production proxy.
//   GET  /v3/clusters                                   → one cluster, id "vigil-local"
//   POST /v3/clusters/{id}/topics/{topic}/records       → { key?, value } with { type, data }
//   POST /topics/{topic}  (application/vnd.kafka.json.v2+json) → { records: [{ key?, value, partition? }] }
// Run alone: node scripts/services/kafka-rest-bridge.ts [--brokers host:port | --mock] [--port 8082]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { startMockKafka } from "./kafka-mock.ts";

export const CLUSTER_ID = "vigil-local";

export interface KafkaRestBridge {
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
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

export async function startKafkaRestBridge(options: { brokers: string; port?: number }): Promise<KafkaRestBridge> {
  const kafka = new Kafka({ clientId: "vigil-kafka-rest-bridge", brokers: [options.brokers], logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://bridge");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (req.method === "GET" && url.pathname === "/v3/clusters") {
      return send(res, 200, { kind: "KafkaClusterList", data: [{ kind: "KafkaCluster", cluster_id: CLUSTER_ID }] });
    }
    if (req.method === "POST" && parts.length === 6 && parts[0] === "v3" && parts[1] === "clusters" && parts[3] === "topics" && parts[5] === "records") {
      if (parts[2] !== CLUSTER_ID) throw new HttpError(404, `cluster ${parts[2]} not found`);
      const body = await readJson(req);
      if (!isRecord(body)) throw new HttpError(400, "record must be an object");
      const topic = parts[4]!;
      const [meta] = await producer.send({ topic, messages: [{ key: v3Data(body.key, "key"), value: v3Data(body.value, "value") }] });
      return send(res, 200, { error_code: 200, cluster_id: CLUSTER_ID, topic_name: topic, partition_id: meta?.partition ?? 0, offset: Number(meta?.baseOffset ?? 0) });
    }
    if (req.method === "POST" && parts.length === 2 && parts[0] === "topics") {
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
      if (type !== "application/vnd.kafka.json.v2+json") throw new HttpError(415, `v2 produce needs application/vnd.kafka.json.v2+json, got ${type || "(none)"}`);
      const body = await readJson(req);
      if (!isRecord(body) || !Array.isArray(body.records)) throw new HttpError(422, "body must be { records: [...] }");
      const topic = parts[1]!;
      const messages = body.records.map((r: unknown) => {
        if (!isRecord(r)) throw new HttpError(422, "each record must be an object");
        return {
          key: r.key === undefined || r.key === null ? null : typeof r.key === "string" ? r.key : JSON.stringify(r.key),
          value: JSON.stringify(r.value ?? null),
          ...(typeof r.partition === "number" ? { partition: r.partition } : {}),
        };
      });
      const metas = await producer.send({ topic, messages });
      const offsets = metas.map((m) => ({ partition: m.partition, offset: Number(m.baseOffset) }));
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
  const bridge = await startKafkaRestBridge({ brokers, port: Number(arg("--port") ?? 8082) });
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
