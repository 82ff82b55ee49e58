// A seeded sample of the hostile payloads (hostile.ts runs 10,000 of them) against
// `npm start`: no 5xx, no dropped connection, every refusal a 4xx naming the problem,
// and the server still takes a good batch afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchStack, type Stack } from "../testing/stack.ts";
import { runHostile } from "./hostile.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await launchStack({}, 240_000);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe("hostile payloads against npm start", () => {
  it("answers 500 of them with 4xx (or per-record rejections), never 5xx", async () => {
    const report = await runHostile(stack.base, stack.adminKey, 500, 11, 4);
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.byKind).length).toBeGreaterThan(30);
    const statuses = Object.values(report.byKind).flatMap((k) => Object.keys(k.statuses).map(Number));
    expect(statuses.every((s) => s >= 200 && s < 500)).toBe(true);
    expect(statuses).toContain(413);
    expect(statuses).toContain(415);
    expect(report.stillServing).toBe(true);
  }, 600_000);
});
