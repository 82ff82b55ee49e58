import { env } from "cloudflare:workers";
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { ApiError } from "../errors.ts";
import { validationHook } from "../validation.ts";
import { notFound, onError } from "./error-handler.ts";

function fixtureApp() {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(notFound);
  app.get("/api-error", () => {
    throw new ApiError(409, "conflict", "model credit-risk already exists", { model: "credit-risk" });
  });
  app.get("/http-exception", () => {
    throw new HTTPException(401, { message: "missing bearer token" });
  });
  app.get("/crash", () => {
    throw new Error("secret internal detail");
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/validated",
      request: { body: { content: { "application/json": { schema: z.object({ name: z.string().min(1), scopes: z.array(z.enum(["read", "write"])) }) } } } },
      responses: { 200: { description: "ok" } },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  return app;
}

describe("error handling", () => {
  const app = fixtureApp();

  it.each([
    ["/api-error", 409, { code: "conflict", message: "model credit-risk already exists", details: { model: "credit-risk" } }],
    ["/http-exception", 401, { code: "unauthorized", message: "missing bearer token" }],
    ["/crash", 500, { code: "internal", message: "internal server error" }],
    ["/nowhere", 404, { code: "not_found", message: "no route for GET /nowhere" }],
  ])("GET %s gives %i with the shared error body", async (path, status, error) => {
    const res = await app.request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error });
  });

  it("names each invalid field in a validation failure", async () => {
    const res = await app.request("/validated", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "", scopes: ["read", "fly"] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: Array<{ field: string }> } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.field).sort()).toEqual(["name", "scopes.1"]);
    expect(body.error.message).toMatch(/^invalid json: (name|scopes\.1): /);
  });

  it("answers unknown routes of the real app with JSON 404", async () => {
    const res = await createApp().request("/v1/does-not-exist", { method: "DELETE" }, env);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route for DELETE /v1/does-not-exist" } });
  });
});
