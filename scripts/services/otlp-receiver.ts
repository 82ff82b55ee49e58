// A local OTLP/HTTP metrics receiver for tests (and for watching an export by hand): it
// takes POST /v1/metrics in both OTLP/HTTP encodings and decodes them with protobufjs and
// the official opentelemetry-proto files (scripts/fixtures/opentelemetry-proto/), never
// with Vigil's own encoder. Protobuf bodies are decoded as
// ExportMetricsServiceRequest; JSON bodies are read with the same message type's
// fromObject (the OTLP/JSON mapping), so both end up as the same plain objects.
// It can demand headers (answering 401 without them) or fail on purpose, to test how the
// exporter reports wrong credentials and outages.
// Run alone: node scripts/services/otlp-receiver.ts [--port 4318]  (prints what arrives)
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const PROTO_ROOT = fileURLToPath(new URL("../fixtures/opentelemetry-proto/", import.meta.url));
const SERVICE_PROTO = "opentelemetry/proto/collector/metrics/v1/metrics_service.proto";

/** The decoded request with 64-bit integers as strings and enums as numbers (protobufjs toObject). */
export type DecodedRequest = Record<string, unknown> & { resourceMetrics?: Record<string, unknown>[] };

export interface Received {
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  request: DecodedRequest;
}

export interface OtlpReceiverOptions {
  port?: number;
  /** Header name → value every request must carry; otherwise 401. */
  requireHeaders?: Record<string, string>;
}

export interface OtlpReceiver {
  url: string;
  received: Received[];
  /** While set, every request is answered with this status. */
  failWith: number | null;
  /** Header name → value every request must carry (401 otherwise); may be changed while running. */
  requireHeaders: Record<string, string>;
  close(): Promise<void>;
}

async function loadRequestType(): Promise<protobuf.Type> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith("/") ? target : PROTO_ROOT + target);
  await root.load(SERVICE_PROTO, { keepCase: false });
  return root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const TO_OBJECT = { longs: String, enums: Number, defaults: false, arrays: true } as const;

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const type = await loadRequestType();
  const receiver: OtlpReceiver = { url: "", received: [], failWith: null, requireHeaders: { ...options.requireHeaders }, close: async () => undefined };
  const answer = (res: ServerResponse, status: number, text = "") => {
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(text);
  };
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== "POST" || req.url !== "/v1/metrics") return answer(res, 404, "only POST /v1/metrics");
      for (const [name, value] of Object.entries(receiver.requireHeaders)) {
        if (req.headers[name.toLowerCase()] !== value) return answer(res, 401, `missing or wrong ${name}`);
      }
      if (receiver.failWith !== null) return answer(res, receiver.failWith, "failing on purpose");
      const contentType = String(req.headers["content-type"] ?? "");
      const raw = await body(req);
      let message: protobuf.Message;
      if (contentType === "application/x-protobuf") message = type.decode(raw);
      else if (contentType === "application/json") message = type.fromObject(JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
      else return answer(res, 415, "application/x-protobuf or application/json");
      const problem = type.verify(message);
      if (problem) return answer(res, 400, problem);
      receiver.received.push({ contentType, headers: req.headers, request: type.toObject(message, TO_OBJECT) as DecodedRequest });
      // An empty ExportMetricsServiceResponse: zero bytes in protobuf, {} in JSON.
      res.writeHead(200, { "content-type": contentType });
      res.end(contentType === "application/json" ? "{}" : Buffer.alloc(0));
    } catch (error) {
      answer(res, 400, (error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--port");
  const receiver = await startOtlpReceiver({ port: at > 0 ? Number(process.argv[at + 1]) : 4318 });
  console.log(`OTLP receiver on ${receiver.url}/v1/metrics`);
  setInterval(() => {
    for (const r of receiver.received.splice(0)) console.log(JSON.stringify(r.request));
  }, 1_000);
}
