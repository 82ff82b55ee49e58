// The demo's (and the reliability scripts') HTTP client for the ingest API, behaving
// like a careful producer: a batch is retried with the same batch_id until some reply
// is a 2xx, so a reply lost to a crash or a timeout can never count a batch twice.

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
  attempts: number;
}

export interface PostOptions {
  /** Give up after this long (ms) of failed attempts. */
  deadlineMs?: number;
  /** Called once per failed attempt (status 0 = no reply). */
  onRetry?: (status: number, detail: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POSTs JSON; 5xx, 429 and network errors are retried with backoff, 4xx is returned. */
export async function postWithRetry(url: string, key: string, payload: unknown, options: PostOptions = {}): Promise<PostResult> {
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const body = JSON.stringify(payload);
  let backoff = 200;
  for (let attempts = 1; ; attempts++) {
    let status = 0;
    let detail = "";
    let retryAfterMs = 0;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      const text = await res.text();
      if (status < 500 && status !== 429) {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = { raw: text };
        }
        return { status, body: json, attempts };
      }
      detail = text.slice(0, 200);
      retryAfterMs = Number(res.headers.get("retry-after") ?? 0) * 1000;
    } catch (error) {
      detail = (error as Error).message;
    }
    options.onRetry?.(status, detail);
    if (Date.now() > deadline) throw new Error(`gave up on ${url} after ${attempts} attempts: ${status} ${detail}`);
    await sleep(Math.max(backoff, retryAfterMs));
    backoff = Math.min(backoff * 2, 2_000);
  }
}
