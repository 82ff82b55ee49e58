// The client: `log`, `logActual` and `logOutcome` queue a record and return at once;
// background sends take batches off the queue when `batchSize` records of one model
// version are waiting or `flushIntervalMs` after the first record of a quiet spell,
// whichever comes first. `flush()` sends everything queued so far and resolves when
// each batch is stored or given up; `close()` flushes and refuses further records.
// Delivery rules (retries, batch ids, gzip) are in transport.ts, the queue's overflow
// policy in queue.ts.
//
// Runtimes: fetch, CompressionStream, AbortSignal.timeout and crypto.randomUUID are all
// it needs (Node 22, Deno, Bun, Cloudflare Workers). In a Worker, timers do not outlive
// the request: call `ctx.waitUntil(vigil.flush())` after logging.
import { DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
import { VigilError } from "./errors.ts";
import { BoundedQueue, type OverflowPolicy } from "./queue.ts";
import { queuedActual, queuedEvent, queuedOutcome, type LogActual, type LogEvent, type LogOutcome, type Queued } from "./records.ts";
import { deliver, type Route, type TransportOptions } from "./transport.ts";
import type { ActualsBatch, ActualsReply, IngestBatch, IngestReply, OutcomesReply } from "./wire.ts";

/** Vigil's own cap on events (and actuals, outcomes) per request. */
export const MAX_BATCH = 10_000;

export interface VigilOptions {
  /** Vigil's base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** An API key with the `ingest` scope (`write` to register unknown versions on first send). */
  apiKey: string;
  /** Records per request (default 500, at most 10,000). */
  batchSize?: number;
  /** A partial batch leaves this long after its first record was queued (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Records waiting to be sent, at most (default 100,000). */
  maxQueue?: number;
  /** What a full queue does: drop the oldest record and count it (default), or make `log()` wait. */
  overflow?: OverflowPolicy;
  /** Retries per batch after the first attempt (default 8: about a minute of backoff). */
  maxRetries?: number;
  backoff?: Partial<BackoffOptions>;
  /** Per request, in ms (default 30,000). */
  timeoutMs?: number;
  /** gzip bodies over 1 KiB (default true). */
  gzip?: boolean;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** A batch refused for good or given up after its retries. Without it such errors are counted in stats() only. */
  onError?: (error: VigilError, batch: BatchInfo) => void;
  /** Each retry, before its wait. */
  onRetry?: TransportOptions["onRetry"];
  /** Node only: flush what is queued when the event loop empties (`beforeExit`; default true). */
  flushOnExit?: boolean;
}

export interface BatchInfo {
  kind: Queued["kind"];
  model: string;
  version?: string;
  batchId?: string;
  records: number;
}

export interface VigilStats {
  /** Waiting in the queue. */
  queued: number;
  /** Handed to a request that has not finished (including its retries). */
  inFlight: number;
  /** Events, actuals and outcomes in batches Vigil answered with a 2xx. */
  delivered: number;
  /** Records Vigil left out one by one (`rejected_count`): bad values, unknown fields. */
  rejected: number;
  /** Batches Vigil had already stored (a retry after a lost reply): counted once. */
  duplicateBatches: number;
  /** Records in batches refused or given up (onError says why). */
  failed: number;
  /** Records the "drop-oldest" policy dropped from a full queue. */
  dropped: number;
  /** Retried requests. */
  retries: number;
}

const ROUTES: Record<Queued["kind"], Route> = { event: "/v1/ingest", actual: "/v1/actuals", outcome: "/v1/outcomes" };

function positiveInt(value: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}: ${value}`);
  return value;
}

export class Vigil {
  readonly #queue: BoundedQueue<Queued>;
  readonly #transport: TransportOptions;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #concurrency: number;
  readonly #onError: VigilOptions["onError"];
  readonly #closing = new AbortController();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #active = 0;
  #closed = false;
  #idle: (() => void)[] = [];
  #exitHook: (() => void) | null = null;
  readonly #stats = { delivered: 0, rejected: 0, duplicateBatches: 0, failed: 0, retries: 0 };

  constructor(options: VigilOptions) {
    if (typeof options?.url !== "string" || !/^https?:\/\//.test(options.url)) throw new Error(`url must be an http(s) URL: ${String(options?.url)}`);
    if (typeof options.apiKey !== "string" || options.apiKey === "") throw new Error("apiKey is required");
    this.#batchSize = positiveInt(options.batchSize ?? 500, "batchSize", MAX_BATCH);
    this.#flushIntervalMs = positiveInt(options.flushIntervalMs ?? 1_000, "flushIntervalMs");
    this.#concurrency = positiveInt(options.concurrency ?? 2, "concurrency", 64);
    this.#queue = new BoundedQueue(options.maxQueue ?? 100_000, options.overflow ?? "drop-oldest");
    this.#onError = options.onError;
    const onRetry = options.onRetry;
    this.#transport = {
      url: options.url.replace(/\/+$/, ""),
      apiKey: options.apiKey,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      maxRetries: options.maxRetries ?? 8,
      timeoutMs: options.timeoutMs ?? 30_000,
      gzip: options.gzip ?? true,
      abort: this.#closing.signal,
      onRetry: (info) => {
        this.#stats.retries++;
        onRetry?.(info);
      },
    };
    const host = hostProcess();
    if ((options.flushOnExit ?? true) && host !== null) {
      this.#exitHook = () => {
        if (this.#queue.size > 0) void this.flush();
      };
      host.on("beforeExit", this.#exitHook);
    }
  }

  /** Queues one prediction. Resolves at once, or (overflow "block", full queue) once it is queued. */
  log(event: LogEvent): Promise<void> {
    return this.#push(queuedEvent(event));
  }

  /** Queues the ground truth of an earlier prediction (joined by model, version and predictionId). */
  logActual(actual: LogActual): Promise<void> {
    return this.#push(queuedActual(actual));
  }

  /** Queues a business outcome (a KPI value), optionally tied to a prediction. */
  logOutcome(outcome: LogOutcome): Promise<void> {
    return this.#push(queuedOutcome(outcome));
  }

  /**
   * Sends one batch now, bypassing the queue, with the same retries, and resolves with
   * Vigil's reply (throws VigilError when refused or given up). For importers that give
   * their batches stable ids, so that running the same import twice counts nothing twice.
   */
  async sendBatch(batch: IngestBatch): Promise<IngestReply> {
    const reply = await this.#sendNow<IngestReply>("/v1/ingest", batch, batch.events.length);
    if (reply.duplicate) this.#stats.duplicateBatches++;
    return reply;
  }

  /** Sends actuals now, bypassing the queue, and resolves with Vigil's reply (matched, unmatched, already labeled). */
  sendActuals(batch: ActualsBatch): Promise<ActualsReply> {
    return this.#sendNow<ActualsReply>("/v1/actuals", batch, batch.actuals.length);
  }

  async #sendNow<Reply extends { rejected_count: number }>(route: Route, batch: unknown, records: number): Promise<Reply> {
    if (this.#closed) throw new Error("Vigil client is closed");
    this.#active++;
    try {
      const reply = await deliver<Reply>(this.#transport, route, batch);
      this.#stats.delivered += records;
      this.#stats.rejected += reply.rejected_count;
      return reply;
    } catch (error) {
      this.#stats.failed += records;
      throw error;
    } finally {
      this.#active--;
      if (this.#active === 0 && this.#queue.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Sends everything queued; resolves once every batch is stored or given up. */
  async flush(): Promise<void> {
    this.#clearTimer();
    this.#pump(true);
    if (this.#queue.size === 0 && this.#active === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /**
   * Flushes and stops. After `timeoutMs` (default: no limit) batches still retrying
   * give up at their next wait and count as failed. Later calls to log() throw.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closed = true;
    if (this.#exitHook) hostProcess()?.off("beforeExit", this.#exitHook);
    const timer = options.timeoutMs === undefined ? null : setTimeout(() => this.#closing.abort(), options.timeoutMs);
    try {
      await this.flush();
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  stats(): VigilStats {
    return { ...this.#stats, queued: this.#queue.size, inFlight: this.#active, dropped: this.#queue.dropped };
  }

  #push(item: Queued): Promise<void> {
    if (this.#closed) throw new Error("Vigil client is closed");
    const waiting = this.#queue.push(item);
    if (this.#queue.size >= this.#batchSize) this.#pump(false);
    else this.#armTimer();
    return waiting ?? Promise.resolve();
  }

  #armTimer() {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump(true);
    }, this.#flushIntervalMs);
    // A pending flush must not keep a Node process alive; beforeExit flushes instead.
    const timer: unknown = this.#timer;
    if (typeof timer === "object" && timer !== null && "unref" in timer && typeof timer.unref === "function") timer.unref();
  }

  #clearTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Starts senders while there is work: full batches only, or everything when `all`. */
  #pump(all: boolean) {
    while (this.#active < this.#concurrency && this.#queue.size > 0 && (all || this.#queue.size >= this.#batchSize)) {
      const batch = this.#queue.take(this.#batchSize, (a, b) => a.group === b.group);
      this.#active++;
      void this.#send(batch).finally(() => {
        this.#active--;
        // Blocked producers may have refilled the queue; keep going while a flush waits or batches are full.
        this.#pump(all || this.#idle.length > 0);
        if (this.#queue.size > 0) this.#armTimer();
        if (this.#active === 0 && this.#queue.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #send(batch: Queued[]): Promise<void> {
    const first = batch[0]!;
    const info: BatchInfo = { kind: first.kind, model: first.model, records: batch.length };
    let payload: unknown;
    if (first.kind === "outcome") {
      info.batchId = crypto.randomUUID();
      if (first.version !== undefined) info.version = first.version;
      payload = { model: first.model, ...(first.version === undefined ? {} : { version: first.version }), batch_id: info.batchId, outcomes: batch.map((q) => q.record) };
    } else if (first.kind === "event") {
      info.version = first.version;
      info.batchId = crypto.randomUUID();
      payload = { model: first.model, version: first.version, batch_id: info.batchId, events: batch.map((q) => q.record) };
    } else {
      info.version = first.version;
      payload = { model: first.model, version: first.version, actuals: batch.map((q) => q.record) };
    }
    try {
      const reply = await deliver<IngestReply | ActualsReply | OutcomesReply>(this.#transport, ROUTES[first.kind], payload);
      this.#stats.delivered += batch.length;
      this.#stats.rejected += reply.rejected_count ?? 0;
      if ("duplicate" in reply && reply.duplicate) this.#stats.duplicateBatches++;
    } catch (error) {
      this.#stats.failed += batch.length;
      const failure = error instanceof VigilError ? error : new VigilError(0, "client_error", String(error));
      if (this.#onError) {
        try {
          this.#onError(failure, info);
        } catch {
          // a throwing handler must not stop the sender
        }
      }
    }
  }
}

/** The exit hooks of Node's `process` (Bun and Deno have them too), typed here so the package needs no @types/node; null where there is none (Workers). */
interface ProcessHooks {
  on(event: "beforeExit", listener: () => void): unknown;
  off(event: "beforeExit", listener: () => void): unknown;
}

function hostProcess(): ProcessHooks | null {
  const candidate = (globalThis as { process?: Partial<ProcessHooks> }).process;
  return candidate !== undefined && typeof candidate.on === "function" && typeof candidate.off === "function" ? (candidate as ProcessHooks) : null;
}
