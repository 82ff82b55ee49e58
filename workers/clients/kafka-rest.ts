// A Kafka producer over a REST proxy, plain fetch (it runs in the Worker, the Durable
// Object and Node tests alike). Confluent REST Proxy v3
// (`POST /v3/clusters/{id}/topics/{topic}/records`, one record per request, the
// cluster id discovered from `GET /v3/clusters` when not configured) or v2
// (`POST /topics/{topic}` with `application/vnd.kafka.json.v2+json`, all records in
// one request) for proxies that only speak v2 (Redpanda, Karapace).

export type KafkaRestApi = "v3" | "v2";

export interface KafkaRestConfig {
  url: string;
  api: KafkaRestApi;
  clusterId?: string;
}

export interface KafkaRecord {
  key: string;
  value: unknown;
}

async function expectOk(res: Response, what: string): Promise<void> {
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const text = await res.text().catch(() => "");
  throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 200)}`);
}

const clusterIds = new Map<string, string>();

async function clusterId(config: KafkaRestConfig): Promise<string> {
  if (config.clusterId) return config.clusterId;
  const known = clusterIds.get(config.url);
  if (known) return known;
  const res = await fetch(`${config.url}/v3/clusters`);
  if (!res.ok) throw new Error(`kafka rest: GET /v3/clusters: HTTP ${res.status}`);
  const body: unknown = await res.json();
  const data = typeof body === "object" && body !== null && "data" in body && Array.isArray(body.data) ? body.data : [];
  const first: unknown = data[0];
  const id = typeof first === "object" && first !== null && "cluster_id" in first && typeof first.cluster_id === "string" ? first.cluster_id : undefined;
  if (!id) throw new Error("kafka rest: GET /v3/clusters listed no cluster");
  clusterIds.set(config.url, id);
  return id;
}

/** Produces records in order; throws on the first one the proxy refuses. */
export async function produce(config: KafkaRestConfig, topic: string, records: readonly KafkaRecord[]): Promise<void> {
  if (records.length === 0) return;
  const base = config.url.replace(/\/+$/, "");
  if (config.api === "v2") {
    const res = await fetch(`${base}/topics/${encodeURIComponent(topic)}`, {
      method: "POST",
      headers: { "content-type": "application/vnd.kafka.json.v2+json", accept: "application/vnd.kafka.v2+json" },
      body: JSON.stringify({ records: records.map((r) => ({ key: r.key, value: r.value })) }),
    });
    await expectOk(res, `kafka rest v2: POST /topics/${topic}`);
    return;
  }
  const cluster = await clusterId({ ...config, url: base });
  for (const r of records) {
    const res = await fetch(`${base}/v3/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}/records`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: { type: "STRING", data: r.key }, value: { type: "JSON", data: r.value } }),
    });
    await expectOk(res, `kafka rest v3: POST …/topics/${topic}/records`);
  }
}

/** The Kafka REST settings of a deployment, or undefined when Kafka output is off. */
export function kafkaConfig(env: { KAFKA_REST_URL?: string; KAFKA_REST_API?: string; KAFKA_CLUSTER_ID?: string }): KafkaRestConfig | undefined {
  if (!env.KAFKA_REST_URL) return undefined;
  const clusterId = env.KAFKA_CLUSTER_ID || undefined;
  return { url: env.KAFKA_REST_URL, api: env.KAFKA_REST_API === "v2" ? "v2" : "v3", ...(clusterId ? { clusterId } : {}) };
}
