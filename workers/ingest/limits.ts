// Ingest limits. A declared Content-Length over the limit is refused before reading; a
// body without one is read as a stream and cut off at the limit (HTTP framing holds a
// body to its declared length, so neither way pushes more than this into memory). gzip
// bodies are limited again after inflation (a small bomb cannot expand without bound).
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MAX_INFLATED_BYTES = 32 * 1024 * 1024;
export const MAX_EVENTS_PER_BATCH = 10_000;
export const MAX_ACTUALS_PER_BATCH = 10_000;
/** Per-org ingest requests per second (sliding window of one second). */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 2_000;
export const MAX_STRING_LENGTH = 1_024;
export const MAX_ID_LENGTH = 256;
/** A data subject's pseudonymous id (`subject_id` on events, actuals, outcomes). */
export const MAX_SUBJECT_ID_LENGTH = 128;
export const MAX_FEATURES = 1_000;
/** Rejections listed in a reply; the count is always exact. */
export const MAX_REJECTIONS_LISTED = 1_000;
