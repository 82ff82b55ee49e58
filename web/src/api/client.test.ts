import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiClient } from "./client.ts";
import { ApiRequestError, describeError } from "./errors.ts";
import { object, str } from "./parse.ts";

afterEach(() => vi.unstubAllGlobals());

const parse = object({ name: str });

async function failure(p: Promise<unknown>): Promise<ApiRequestError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiRequestError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe("api client", () => {
  it("sends the key as Bearer and the CSRF header only on session writes", async () => {
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => (seen.push(new Headers(init.headers)), Response.json({ name: "x" })));
    await createApiClient(() => ({ kind: "key", key: "vgl_00000000_s" })).get("/v1/x", parse);
    const session = createApiClient(() => ({ kind: "session", csrfToken: "tok", email: "a@b.c" }));
    await session.get("/v1/x", parse);
    await session.send("POST", "/v1/x", { a: 1 }, parse);
    expect(seen[0]!.get("authorization")).toBe("Bearer vgl_00000000_s");
    expect(seen[1]!.get("x-csrf-token")).toBeNull();
    expect(seen[2]!.get("x-csrf-token")).toBe("tok");
    expect(seen[2]!.get("content-type")).toBe("application/json");
  });

  it("surfaces the shared error body with its status, code and field details", async () => {
    vi.stubGlobal("fetch", async () =>
      Response.json({ error: { code: "validation_failed", message: "invalid json: name: Required", details: [{ field: "name", error: "Required" }] } }, { status: 400 }),
    );
    const err = await failure(createApiClient(() => null).send("POST", "/v1/models", {}, parse));
    expect([err.status, err.code, err.message]).toEqual([400, "validation_failed", "invalid json: name: Required"]);
    expect(describeError(err)).toBe("invalid json: name: Required (name)");
  });

  it("names network failures, non-JSON errors and responses of the wrong shape", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    expect((await failure(createApiClient(() => null).get("/v1/x", parse))).code).toBe("network_error");
    vi.stubGlobal("fetch", async () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const html = await failure(createApiClient(() => null).get("/v1/x", parse));
    expect([html.code, html.message]).toEqual(["http_502", "502 Bad Gateway"]);
    vi.stubGlobal("fetch", async () => Response.json({ name: 5 }));
    const shape = await failure(createApiClient(() => null).get("/v1/x", parse));
    expect(shape.code).toBe("bad_response");
    expect(shape.message).toContain("name should be a string, got number");
  });
});
