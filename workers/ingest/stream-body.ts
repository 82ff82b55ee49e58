// Streams a request body to a consumer chunk by chunk, inflating gzip on the way, with a
// byte limit on the wire and another after inflation. A reference dataset upload is
// parsed as it arrives this way, so memory follows the parsed columns rather than the
// upload's size; ingest's readBodyText collects the chunks of a body it cannot take in
// one read (gzip, or no Content-Length).
import { ApiError } from "../errors.ts";

export interface BodyLimits {
  /** Bytes on the wire (compressed when gzip). */
  wire: number;
  /** Bytes after inflation (the same as wire for an uncompressed body). */
  inflated: number;
  /** What a 413 tells the client to do instead (e.g. "split the batch"). */
  advice?: string;
}

function tooLarge(what: string, limits: BodyLimits, limit: number): ApiError {
  const advice = limits.advice === undefined ? "" : `; ${limits.advice}`;
  return new ApiError(413, "payload_too_large", `${what} exceeds ${limit} bytes (${Math.round(limit / 1024 / 1024)} MB)${advice}`, { limit_bytes: limit });
}

/** Passes chunks through, failing the stream with a 413 once more than `limit` bytes went by. */
function byteLimit(limits: BodyLimits, limit: number, what: string): TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) throw tooLarge(what, limits, limit);
      controller.enqueue(chunk);
    },
  });
}

/** 415 unless the body is sent as is or gzip; returns which. */
export function bodyEncoding(request: Request): "identity" | "gzip" {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(415, "unsupported_encoding", `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  return encoding;
}

/** The declared Content-Length (NaN when absent); 413 at once when it is over the wire limit. */
export function declaredLength(request: Request, limits: BodyLimits): number {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > limits.wire) throw tooLarge(`body of ${declared} bytes`, limits, limits.wire);
  return declared;
}

/**
 * Feeds the body to `consume` chunk by chunk and returns the bytes it held (inflated).
 * 413 past the limits (early when Content-Length already says so), 415 for an unknown
 * Content-Encoding, 400 for an empty body or bad gzip. Errors thrown by `consume` pass
 * through unchanged and stop the upload.
 */
export async function streamBody(request: Request, limits: BodyLimits, consume: (chunk: Uint8Array) => void): Promise<number> {
  const encoding = bodyEncoding(request);
  declaredLength(request, limits);
  if (!request.body) throw new ApiError(400, "malformed_body", "request body is empty");
  let stream = request.body.pipeThrough(byteLimit(limits, limits.wire, "body"));
  if (encoding === "gzip") stream = stream.pipeThrough(new DecompressionStream("gzip")).pipeThrough(byteLimit(limits, limits.inflated, "inflated gzip body"));
  const reader = stream.getReader();
  let size = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        if (error instanceof ApiError) throw error;
        if (encoding === "gzip") throw new ApiError(400, "malformed_body", "body is not valid gzip");
        throw new ApiError(400, "malformed_body", `body could not be read: ${(error as Error).message}`);
      }
      if (next.done) break;
      size += next.value.byteLength;
      consume(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  if (size === 0) throw new ApiError(400, "malformed_body", "request body is empty");
  return size;
}
