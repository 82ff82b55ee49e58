// Reading a receiver's reply. A receiver is untrusted: its reply may be endless (a
// 256 MB body once took a worker from 354 to 823 MB), so at most 64 KB is read and the
// rest of the transfer is cancelled; a 2xx reply is not read at all. What a person may
// see of it is the status line for everyone and, for admins only, a short redacted
// excerpt (redact-text.ts); neither is ever more than that, and the body is never stored.
import { responseExcerpt } from "./redact-text.ts";

export const REPLY_READ_LIMIT = 64 * 1024;

/** The part of a fetch Response delivery needs; a real Response satisfies it. */
export interface ReceiverResponse {
  status: number;
  body: ReadableStream<Uint8Array> | null;
}

/** Reads at most `limit` bytes of `body`, then cancels the stream (ending the transfer). */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit = REPLY_READ_LIMIT): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, limit - size);
      chunks.push(take);
      size += take.byteLength;
    }
  } finally {
    // Also when the stream ended: cancelling a finished stream is a no-op.
    await reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Discards a reply body without reading it. */
export async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}

/** The status line recorded for a non-2xx reply; a redirect is named, since it is never followed. */
export function statusLine(status: number): string {
  return status >= 300 && status < 400 ? `HTTP ${status} (redirect not followed)` : `HTTP ${status}`;
}

/** The admin-only excerpt of a failed reply: its first 64 KB decoded, redacted, at most 200 characters. */
export async function replyExcerpt(res: ReceiverResponse, known: ReadonlyArray<string | null | undefined>): Promise<string | null> {
  try {
    const bytes = await readCapped(res.body);
    return responseExcerpt(new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes), known);
  } catch {
    return null; // a reply that breaks off mid-body still has its status line
  }
}
