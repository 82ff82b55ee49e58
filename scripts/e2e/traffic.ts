// Prediction traffic for the dashboard's browser tests: a small credit-risk model with
// numerical and categorical features and an optional shift, sent through the public
// ingest API exactly as a client would.

export interface BatchOptions {
  model: string;
  version: string;
  batchId: string;
  size: number;
  /** 0 = the reference distribution; 1 = incomes and regions clearly moved. */
  shift?: number;
  seed?: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeEvents({ batchId, size, shift = 0, seed = 1 }: BatchOptions) {
  const r = rng(seed);
  const regions = ["north", "south", "east", "west"];
  return Array.from({ length: size }, (_, i) => {
    const income = 40_000 + (r() - 0.5) * 30_000 + shift * 35_000;
    const age = Math.floor(22 + r() * 45);
    const region = shift > 0.5 && r() < 0.6 ? "west" : regions[Math.floor(r() * 3)]!;
    const score = Math.min(1, Math.max(0, 0.2 + (income - 40_000) / 100_000 + (r() - 0.5) * 0.2));
    return {
      prediction_id: `${batchId}-${i}`,
      timestamp: new Date().toISOString(),
      features: { income, age, region },
      prediction: score > 0.5 ? 1 : 0,
      score,
      latency_ms: 4 + r() * 20,
    };
  });
}

export async function ingest(base: string, key: string, options: BatchOptions): Promise<{ accepted: number }> {
  const res = await fetch(`${base}/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: options.model, version: options.version, batch_id: options.batchId, events: makeEvents(options) }),
  });
  const body = (await res.json()) as { accepted?: number };
  if (!res.ok) throw new Error(`ingest ${res.status}: ${JSON.stringify(body)}`);
  return { accepted: body.accepted ?? 0 };
}
