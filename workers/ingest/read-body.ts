// Reads a request body as text with a byte limit, inflating gzip on the way, and (for
// batch bodies) a structural budget checked as the text is decoded, before anything parses
// it (json-shape.ts): a gzip bomb is refused after its first few hundred KB, not inflated
// and parsed whole.
import { ApiError } from "../errors.ts";
import { JsonShapeGuard, type ShapeLimits } from "./json-shape.ts";
import { MAX_BODY_BYTES, MAX_INFLATED_BYTES } from "./limits.ts";
import { bodyEncoding, declaredLength, streamBody, type BodyLimits } from "./stream-body.ts";

const LIMITS: BodyLimits = { wire: MAX_BODY_BYTES, inflated: MAX_INFLATED_BYTES, advice: "split the batch" };

async function readDeclared(request: Request, declared: number, limits: BodyLimits): Promise<Uint8Array> {
  try {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limits.wire) throw new ApiError(413, "payload_too_large", `body exceeds ${limits.wire} bytes${limits.advice ? `; ${limits.advice}` : ""}`, { limit_bytes: limits.wire });
    return bytes;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "malformed_body", `body could not be read (${declared} bytes declared): ${(error as Error).message}`);
  }
}

/** UTF-8 decoding part by part (fatal: 400 on bad UTF-8), each part shown to the guard. */
class CheckedDecoder {
  readonly #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  readonly #guard: JsonShapeGuard | undefined;

  constructor(shape: ShapeLimits | undefined) {
    this.#guard = shape ? new JsonShapeGuard(shape) : undefined;
  }

  decode(bytes: Uint8Array, last: boolean): string {
    let text: string;
    try {
      text = this.#decoder.decode(bytes, { stream: !last });
    } catch {
      throw new ApiError(400, "malformed_body", "body is not valid UTF-8");
    }
    this.#guard?.push(bytes, text);
    if (last) this.#guard?.finish();
    return text;
  }
}

/**
 * The body as UTF-8 text. 413 past the limits (a batch's, unless `limits` says otherwise; with `shape`, also past a structural
 * budget), 415 for an unknown Content-Encoding, 400 for bad gzip or UTF-8.
 */
export async function readBodyText(request: Request, shape?: ShapeLimits, limits: BodyLimits = LIMITS): Promise<string> {
  const declared = declaredLength(request, limits);
  if (!request.body) throw new ApiError(400, "malformed_body", "request body is empty");
  const encoding = bodyEncoding(request);
  const decoder = new CheckedDecoder(shape);
  // With a declared length within the limit, one native read is several times cheaper
  // than pulling the stream chunk by chunk (workerd holds the body to its declared length);
  // gzip and bodies without a length go through the limited stream, decoded and checked
  // chunk by chunk, so a 413 cancels the stream before the rest is inflated.
  if (encoding === "identity" && Number.isSafeInteger(declared) && declared >= 0) {
    const bytes = await readDeclared(request, declared, limits);
    if (bytes.byteLength === 0) throw new ApiError(400, "malformed_body", "request body is empty");
    return decoder.decode(bytes, true);
  }
  const parts: string[] = [];
  await streamBody(request, limits, (chunk) => parts.push(decoder.decode(chunk, false)));
  parts.push(decoder.decode(new Uint8Array(0), true));
  return parts.join("");
}
