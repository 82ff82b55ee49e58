// @vigil/client: send prediction telemetry to Vigil from Node 22+, Deno, Bun or a
// Cloudflare Worker. See README.md.
export { Vigil, MAX_BATCH, type VigilOptions, type VigilStats, type BatchInfo } from "./vigil.ts";
export type { LogEvent, LogActual, LogOutcome } from "./records.ts";
export type { OverflowPolicy } from "./queue.ts";
export { VigilError } from "./errors.ts";
export { backoffDelay, parseRetryAfter, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
export type * from "./wire.ts";
