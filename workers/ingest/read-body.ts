// Reads a request body as text with a byte limit, inflating gzip on the way.
import { ApiError } from "../errors.ts";
import { MAX_BODY_BYTES, MAX_INFLATED_BYTES } from "./limits.ts";
import { bodyEncoding, declaredLength, streamBody, type BodyLimits } from "./stream-body.ts";

const LIMITS: BodyLimits = { wire: MAX_BODY_BYTES, inflated: MAX_INFLATED_BYTES, advice: "split the batch" };

async function readDeclared(request: Request, declared: number): Promise<Uint8Array> {
  try {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `body exceeds ${MAX_BODY_BYTES} bytes; split the batch`);
    return bytes;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "malformed_body", `body could not be read (${declared} bytes declared): ${(error as Error).message}`);
  }
}

async function readStreamed(request: Request): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const out = new Uint8Array(await streamBody(request, LIMITS, (chunk) => chunks.push(chunk)));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The body as UTF-8 text. 413 past the limits, 415 for an unknown Content-Encoding, 400 for bad gzip or UTF-8. */
export async function readBodyText(request: Request): Promise<string> {
  const declared = declaredLength(request, LIMITS);
  if (!request.body) throw new ApiError(400, "malformed_body", "request body is empty");
  const encoding = bodyEncoding(request);
  // With a declared length within the limit, one native read is several times cheaper
  // than pulling the stream chunk by chunk (workerd holds the body to its declared length);
  // gzip and bodies without a length go through the limited stream.
  const bytes = encoding === "identity" && Number.isSafeInteger(declared) && declared >= 0 ? await readDeclared(request, declared) : await readStreamed(request);
  if (bytes.byteLength === 0) throw new ApiError(400, "malformed_body", "request body is empty");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "malformed_body", "body is not valid UTF-8");
  }
}
