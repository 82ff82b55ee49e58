// The API reference pages render in a browser that can reach nothing but Vigil itself, from
// a document that the OpenAPI 3.1 schema accepts.
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { launchStack, type Stack } from "../testing/stack.ts";

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
const offOrigin: string[] = [];

beforeAll(async () => {
  stack = await launchStack();
  browser = await launchChromium();
  // Any request that leaves the Vigil origin (a CDN, say) fails, as it would offline.
  await browser.context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(stack.base)) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("API reference pages", () => {
  it("/openapi.json is a valid OpenAPI 3.1 document (the official schema, checked in Node: ajv compiles code, which workerd forbids)", async () => {
    const res = await fetch(`${stack.base}/openapi.json`);
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate((await res.json()) as Record<string, unknown>);
    expect(validator.version).toBe("3.1");
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("/docs renders Swagger UI with the health operation, from the Worker's own assets", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${stack.base}/docs`);
      await page.getByText("/v1/health", { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await page.title()).toContain("Vigil API");
    } finally {
      await page.close();
    }
    expect(offOrigin, offOrigin.join(", ")).toEqual([]);
  }, 60_000);

  it("/redoc renders ReDoc from the same OpenAPI document", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${stack.base}/redoc`);
      await page.getByRole("heading", { name: /Vigil API/ }).first().waitFor({ timeout: 30_000 });
      // The operations from the document are listed (ReDoc keeps some of them collapsed).
      expect(await page.getByText("Report the service and each dependency").count()).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
    expect(offOrigin, offOrigin.join(", ")).toEqual([]);
  }, 60_000);
});
