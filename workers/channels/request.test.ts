// One delivery attempt against a receiver double (a fetch that answers like a receiver
// would): what counts as success, what is recorded of a failure, and how much of an
// untrusted reply is read.
import { describe, expect, it } from "vitest";
import { REPLY_READ_LIMIT, readCapped } from "./reply.ts";
import { sendRequest, type FetchLike } from "./request.ts";

const REQUEST = { url: "https://hooks.example.com/T000/secret-path", headers: { "content-type": "application/json" }, body: '{"a":1}' };

/** A reply body that records whether the sender cancelled it. */
function body(text: string) {
  const state = { cancelled: false, pulled: 0 };
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(state.pulled, state.pulled + 1024));
      state.pulled += 1024;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe("sendRequest", () => {
  it("posts the request without following redirects, and a 2xx is success with its reply discarded unread", async () => {
    const reply = body("x".repeat(10_000));
    const calls: Parameters<FetchLike>[] = [];
    const result = await sendRequest(REQUEST, async (url, init) => {
      calls.push([url, init]);
      return { status: 299, body: reply.stream };
    });
    expect(result).toMatchObject({ ok: true, statusCode: 299, error: null, excerpt: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(10_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe(REQUEST.url);
    expect(calls[0]![1]).toMatchObject({ method: "POST", headers: REQUEST.headers, body: REQUEST.body, redirect: "manual" });
    expect(reply.state.cancelled).toBe(true);
    expect(reply.state.pulled).toBeLessThan(10_000);
  });

  it("counts 200 as success, the first of the 2xx", async () => {
    expect(await sendRequest(REQUEST, async () => ({ status: 200, body: null }))).toMatchObject({ ok: true, statusCode: 200, error: null });
  });

  it("still shows an excerpt of a failed reply that is not valid UTF-8", async () => {
    const bytes = new Uint8Array([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0x67, 0x61, 0x74, 0x65, 0x77, 0x61, 0x79]);
    const result = await sendRequest(REQUEST, async () => ({ status: 502, body: new Blob([bytes]).stream() }));
    expect(result.excerpt).toBe("bad \ufffd\ufffd gateway");
  });

  it.each([
    [300, "HTTP 300 (redirect not followed)"],
    [302, "HTTP 302 (redirect not followed)"],
    [399, "HTTP 399 (redirect not followed)"],
    [400, "HTTP 400"],
    [199, "HTTP 199"],
  ])("records a %i as a failure: %s", async (status, error) => {
    const result = await sendRequest(REQUEST, async () => ({ status, body: null }));
    expect(result).toMatchObject({ ok: false, statusCode: status, error, excerpt: null });
  });

  it("keeps a redacted one-line excerpt of a failed reply, without the channel's URL or credentials", async () => {
    const echo = `bad request\nto ${REQUEST.url} with token s3cr3t-token`;
    const result = await sendRequest(REQUEST, async () => ({ status: 500, body: body(echo).stream }), { known: ["s3cr3t-token"] });
    expect(result.error).toBe("HTTP 500");
    expect(result.excerpt).toMatch(/^bad request to \[redacted\] with token /);
    expect(result.excerpt).not.toContain("secret-path");
    expect(result.excerpt).not.toContain("s3cr3t-token");
  });

  it("gives up after the timeout", async () => {
    const never: FetchLike = (_url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const result = await sendRequest(REQUEST, never, { timeoutMs: 30 });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: "timed out after 30 ms", excerpt: null });
  });

  it("records a network error redacted", async () => {
    const result = await sendRequest(REQUEST, async () => {
      throw new Error(`connect ECONNREFUSED ${REQUEST.url}`);
    });
    expect(result.ok).toBe(false);
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/^connect ECONNREFUSED /);
    expect(result.error).not.toContain("secret-path");
  });
});

describe("readCapped", () => {
  it("reads at most the limit, whole chunks cut at it, and cancels the rest of the transfer", async () => {
    const reply = body("y".repeat(REPLY_READ_LIMIT + 5_000));
    const bytes = await readCapped(reply.stream);
    expect(bytes.byteLength).toBe(REPLY_READ_LIMIT);
    expect(new TextDecoder().decode(bytes)).toBe("y".repeat(REPLY_READ_LIMIT));
    expect(reply.state.cancelled).toBe(true);
    expect(await readCapped(body("abc").stream, 2)).toEqual(new TextEncoder().encode("ab"));
    expect(await readCapped(null)).toEqual(new Uint8Array(0));
  });

  it("joins a short body's chunks in order", async () => {
    const text = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    expect(new TextDecoder().decode(await readCapped(body(text).stream))).toBe(text);
  });
});
