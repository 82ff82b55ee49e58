// Reads a request body as text with a byte limit, inflating gzip on the way.
import { ApiError } from "../errors.ts";
import { MAX_BODY_BYTES, MAX_INFLATED_BYTES } from "./limits.ts";

async function readLimited(stream: ReadableStream<Uint8Array>, limit: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw new ApiError(413, "payload_too_large", `${what} exceeds ${limit} bytes; split the batch`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "malformed_body", `${what} could not be read: ${(error as Error).message}`);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function readDeclared(request: Request, declared: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `body exceeds ${MAX_BODY_BYTES} bytes; split the batch`);
    return bytes;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "malformed_body", `body could not be read (${declared} bytes declared): ${(error as Error).message}`);
  }
}

/** The body as UTF-8 text. 413 past the limits, 415 for an unknown Content-Encoding, 400 for bad gzip or UTF-8. */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `body of ${declared} bytes exceeds ${MAX_BODY_BYTES} bytes; split the batch`);
  if (!request.body) throw new ApiError(400, "malformed_body", "request body is empty");
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(415, "unsupported_encoding", `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  // With a declared length within the limit, one native read is several times cheaper
  // than pulling the stream chunk by chunk (workerd holds the body to its declared length).
  let bytes = Number.isSafeInteger(declared) && declared >= 0
    ? await readDeclared(request, declared)
    : await readLimited(request.body, MAX_BODY_BYTES, "body");
  if (encoding === "gzip") {
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = await readLimited(inflated, MAX_INFLATED_BYTES, "inflated gzip body").catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 400) throw new ApiError(400, "malformed_body", "body is not valid gzip");
      throw error;
    });
  }
  if (bytes.byteLength === 0) throw new ApiError(400, "malformed_body", "request body is empty");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "malformed_body", "body is not valid UTF-8");
  }
}
