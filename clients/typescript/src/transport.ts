// Delivers one batch to one route, retrying until Vigil answers for good. A batch keeps
// its body, and so its `batch_id`, across every attempt: Vigil stores a batch id once per
// 24 h, so a retry after a lost reply (the batch was stored, the 2xx never arrived) comes
// back `duplicate: true` and counts nothing twice. Actuals carry no batch id; a re-sent
// actual comes back `already_labeled` and does not move performance a second time.
//
// Retried: network failures and timeouts, 408, 429 and 5xx, with full-jitter backoff and
// at least the server's Retry-After. Not retried: other 4xx (the batch itself is wrong; a
// retry would be refused the same way). Bodies over 1 KiB go gzip-compressed.
import { backoffDelay, parseRetryAfter, type BackoffOptions } from "./backoff.ts";
import { VigilError, errorFromResponse, isRetryable } from "./errors.ts";

export type Route = "/v1/ingest" | "/v1/actuals" | "/v1/outcomes";

export interface TransportOptions {
  url: string;
  apiKey: string;
  fetch: typeof fetch;
  backoff: BackoffOptions;
  /** Retries after the first attempt before a batch is given up (default 8). */
  maxRetries: number;
  /** Per attempt, in ms (default 30,000). */
  timeoutMs: number;
  gzip: boolean;
  /** Called before each retry's wait; tests and logs read it. */
  onRetry?: (info: { route: Route; attempt: number; delayMs: number; reason: string }) => void;
  /** Resolves when close() gives up waiting; a pending backoff ends early and the batch fails. */
  abort?: AbortSignal;
}

const GZIP_FROM_BYTES = 1024;

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The request body and its headers, built once and re-sent as is on every retry. */
export async function encodeBody(payload: unknown, useGzip: boolean): Promise<{ body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  const text = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!useGzip || text.length < GZIP_FROM_BYTES) return { body: text, headers };
  return { body: await gzip(text), headers: { ...headers, "content-encoding": "gzip" } };
}

function sleep(ms: number, abort: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (abort?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      abort?.removeEventListener("abort", done);
      resolve();
    }
    abort?.addEventListener("abort", done, { once: true });
  });
}

/** POSTs `payload` until a 2xx (returns its JSON) or a final failure (throws VigilError). */
export async function deliver<Reply>(options: TransportOptions, route: Route, payload: unknown): Promise<Reply> {
  const { body, headers } = await encodeBody(payload, options.gzip);
  const requestHeaders = { ...headers, authorization: `Bearer ${options.apiKey}`, "user-agent": "vigil-client-ts/0.1.0" };
  for (let attempt = 0; ; attempt++) {
    let failure: VigilError;
    let retryAfterMs: number | null = null;
    try {
      const res = await options.fetch(`${options.url}${route}`, {
        method: "POST",
        headers: requestHeaders,
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (res.ok) return (await res.json()) as Reply;
      failure = await errorFromResponse(res);
      if (!isRetryable(res.status)) throw failure;
      retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
    } catch (error) {
      if (error instanceof VigilError) throw error;
      failure = new VigilError(0, "network_error", `${route}: ${(error as Error).message}`);
    }
    if (attempt >= options.maxRetries || options.abort?.aborted) {
      throw new VigilError(failure.status, failure.code, `gave up after ${attempt + 1} attempts: ${failure.message}`, failure.details);
    }
    const delayMs = backoffDelay(attempt, options.backoff, retryAfterMs);
    options.onRetry?.({ route, attempt: attempt + 1, delayMs, reason: failure.status === 0 ? failure.message : `${failure.status} ${failure.code}` });
    await sleep(delayMs, options.abort);
  }
}
