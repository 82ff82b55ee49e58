// A Kafka producer over a REST proxy, plain fetch (it runs in the Worker, the Durable
// Object and Node tests alike), for secured proxies (Confluent Cloud, Confluent REST
// Proxy, Karapace, Redpanda):
//   - v3: `POST /v3/clusters/{id}/topics/{topic}/records` with the records as
//     concatenated JSON in one body (the API's streaming mode: one delivery report per
//     record, in order, each with its own error_code, 200 = delivered). The cluster id is
//     discovered from `GET /v3/clusters` when not configured.
//   - v2: `POST /topics/{topic}` with `application/vnd.kafka.json.v2+json` and a
//     `records` array; the response's `offsets[i]` carries each record's error_code.
// Records go in batches of at most MAX_BATCH_RECORDS / MAX_BATCH_BYTES per request, so a
// 10,000-record drain is a handful of requests. Only the records a proxy reports as
// failed are sent again (never a delivered one), a few times with backoff inside one
// call; what still fails is thrown, and the caller's outbox retries the batch later.
// Credentials: KAFKA_REST_USERNAME / KAFKA_REST_PASSWORD (HTTP Basic, as Confluent Cloud
// API keys and Karapace use) or KAFKA_REST_TOKEN (Bearer); they are never logged.

export type KafkaRestApi = "v3" | "v2";

export type KafkaRestAuth = { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };

export interface KafkaRestConfig {
  url: string;
  api: KafkaRestApi;
  clusterId?: string;
  auth?: KafkaRestAuth;
  /** Set when the credentials are incomplete: every produce fails with it (and health shows it). */
  configError?: string;
}

export interface KafkaRecord {
  key: string;
  value: unknown;
}

export const MAX_BATCH_RECORDS = 2_000;
// Below the 8 MiB request limit of Confluent Cloud's REST produce, with room for framing.
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const ATTEMPTS = 4;
const RETRY_BASE_MS = 100;

/** A proxy refused the credentials (401/403): not worth retrying until they change. */
export class KafkaAuthError extends Error {}

function authorization(auth: KafkaRestAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if (auth.kind === "bearer") return { authorization: `Bearer ${auth.token}` };
  const bytes = new TextEncoder().encode(`${auth.username}:${auth.password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { authorization: `Basic ${btoa(binary)}` };
}

async function failure(res: Response, what: string): Promise<Error> {
  const text = await res.text().catch(() => "");
  const message = `${what}: HTTP ${res.status} ${text.slice(0, 200)}`;
  return res.status === 401 || res.status === 403 ? new KafkaAuthError(`${message} (check KAFKA_REST_USERNAME / KAFKA_REST_PASSWORD or KAFKA_REST_TOKEN)`) : new Error(message);
}

const clusterIds = new Map<string, string>();

async function clusterId(config: KafkaRestConfig, base: string): Promise<string> {
  if (config.clusterId) return config.clusterId;
  const known = clusterIds.get(base);
  if (known) return known;
  const res = await fetch(`${base}/v3/clusters`, { headers: { accept: "application/json", ...authorization(config.auth) } });
  if (!res.ok) throw await failure(res, "kafka rest: GET /v3/clusters");
  const body: unknown = await res.json();
  const data = typeof body === "object" && body !== null && "data" in body && Array.isArray(body.data) ? body.data : [];
  const first: unknown = data[0];
  const id = typeof first === "object" && first !== null && "cluster_id" in first && typeof first.cluster_id === "string" ? first.cluster_id : undefined;
  if (!id) throw new Error("kafka rest: GET /v3/clusters listed no cluster");
  clusterIds.set(base, id);
  return id;
}

/** Splits records into request-sized batches (by count and by serialized size). */
export function batchesOf(records: readonly KafkaRecord[], maxRecords = MAX_BATCH_RECORDS, maxBytes = MAX_BATCH_BYTES): KafkaRecord[][] {
  const batches: KafkaRecord[][] = [];
  let batch: KafkaRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = JSON.stringify(record.value ?? null).length + record.key.length + 64;
    if (batch.length > 0 && (batch.length >= maxRecords || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Per record of one request: null when delivered, else why not (and whether to retry). */
type Outcome = null | { message: string; retriable: boolean };

// v2 error codes: 1 = non-retriable Kafka exception, 2 = retriable (Confluent REST Proxy
// API reference, "Produce messages to a topic"); v3 reports carry HTTP-like codes.
const retriableCode = (code: number): boolean => code === 2 || code === 429 || code >= 500 || code === 40801;

async function sendV2(config: KafkaRestConfig, base: string, topic: string, records: readonly KafkaRecord[]): Promise<Outcome[]> {
  const res = await fetch(`${base}/topics/${encodeURIComponent(topic)}`, {
    method: "POST",
    headers: { "content-type": "application/vnd.kafka.json.v2+json", accept: "application/vnd.kafka.v2+json", ...authorization(config.auth) },
    body: JSON.stringify({ records: records.map((r) => ({ key: r.key, value: r.value })) }),
  });
  if (!res.ok) throw await failure(res, `kafka rest v2: POST /topics/${topic}`);
  const body = (await res.json().catch(() => null)) as { offsets?: Array<{ error_code?: number | null; error?: string | null }> } | null;
  const offsets = body?.offsets ?? [];
  return records.map((_, i) => {
    const o = offsets[i];
    if (o === undefined) return { message: "no delivery report", retriable: true };
    if (o.error_code === undefined || o.error_code === null) return null;
    return { message: `error_code ${o.error_code}: ${o.error ?? ""}`, retriable: retriableCode(o.error_code) };
  });
}

/** Concatenated JSON objects (the v3 streaming response) as values. */
export function parseConcatenatedJson(text: string): unknown[] {
  const values: unknown[] = [];
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
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0 && start >= 0) {
        values.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return values;
}

async function sendV3(config: KafkaRestConfig, base: string, topic: string, records: readonly KafkaRecord[]): Promise<Outcome[]> {
  const cluster = await clusterId(config, base);
  const body = records.map((r) => JSON.stringify({ key: { type: "STRING", data: r.key }, value: { type: "JSON", data: r.value } })).join("\n");
  const res = await fetch(`${base}/v3/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}/records`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...authorization(config.auth) },
    body,
  });
  if (!res.ok) throw await failure(res, `kafka rest v3: POST …/topics/${topic}/records`);
  const reports = parseConcatenatedJson(await res.text()) as Array<{ error_code?: number; message?: string }>;
  return records.map((_, i) => {
    const r = reports[i];
    if (r === undefined) return { message: "no delivery report", retriable: true };
    if (r.error_code === 200 || r.error_code === undefined) return null;
    return { message: `error_code ${r.error_code}: ${r.message ?? ""}`, retriable: retriableCode(r.error_code) };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Produces records, batched; resends only the records reported as failed (retriable
 * ones, up to ATTEMPTS times). Throws when some are still undelivered, naming how many.
 */
export async function produce(config: KafkaRestConfig, topic: string, records: readonly KafkaRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (config.configError) throw new Error(config.configError);
  const base = config.url.replace(/\/+$/, "");
  const send = config.api === "v2" ? sendV2 : sendV3;
  for (const batch of batchesOf(records)) {
    let waiting = batch;
    for (let attempt = 1; ; attempt++) {
      const outcomes = await send(config, base, topic, waiting);
      const failed = waiting.filter((_, i) => outcomes[i] !== null);
      if (failed.length === 0) break;
      const reasons = outcomes.filter((o): o is NonNullable<Outcome> => o !== null);
      if (attempt >= ATTEMPTS || reasons.some((o) => !o.retriable)) {
        throw new Error(`kafka rest: ${failed.length} of ${batch.length} records to ${topic} not delivered (${reasons[0]?.message.slice(0, 200)})`);
      }
      waiting = failed;
      await sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
    }
  }
}

interface KafkaEnv {
  KAFKA_REST_URL?: string;
  KAFKA_REST_API?: string;
  KAFKA_CLUSTER_ID?: string;
  KAFKA_REST_USERNAME?: string;
  KAFKA_REST_PASSWORD?: string;
  KAFKA_REST_TOKEN?: string;
}

/** The credentials the settings name, or an error message for an incomplete pair. */
export function kafkaAuth(env: KafkaEnv): KafkaRestAuth | undefined | { error: string } {
  const { KAFKA_REST_USERNAME: username, KAFKA_REST_PASSWORD: password, KAFKA_REST_TOKEN: token } = env;
  if (token && (username || password)) return { error: "set KAFKA_REST_TOKEN or KAFKA_REST_USERNAME/KAFKA_REST_PASSWORD, not both" };
  if (token) return { kind: "bearer", token };
  if (username || password) {
    if (!username || !password) return { error: "KAFKA_REST_USERNAME and KAFKA_REST_PASSWORD must be set together" };
    return { kind: "basic", username, password };
  }
  return undefined;
}

/**
 * The Kafka REST settings of a deployment, or undefined when Kafka output is off.
 * Incomplete credentials do not throw here (this runs while sinks are set up): they
 * become configError, which every send and the health check report.
 */
export function kafkaConfig(env: KafkaEnv): KafkaRestConfig | undefined {
  if (!env.KAFKA_REST_URL) return undefined;
  const clusterId = env.KAFKA_CLUSTER_ID || undefined;
  const auth = kafkaAuth(env);
  const base = { url: env.KAFKA_REST_URL, api: env.KAFKA_REST_API === "v2" ? ("v2" as const) : ("v3" as const), ...(clusterId ? { clusterId } : {}) };
  if (auth !== undefined && "error" in auth) return { ...base, configError: `kafka rest: ${auth.error}` };
  return { ...base, ...(auth ? { auth } : {}) };
}

/** The Authorization header for the proxy (for the health check), or none. */
export function kafkaAuthHeaders(config: KafkaRestConfig): Record<string, string> {
  return authorization(config.auth);
}
