// The exact count behind the quick one: strings (escapes included, split across parts)
// hide their brackets and commas; containers and array elements outside them count.
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { ENVELOPE_VALUES, JsonShapeGuard } from "./json-shape.ts";

const encoder = new TextEncoder();
const limits = { maxItems: 1, items: "events", code: "too_many_events", lines: false };

/** Feeds `parts` to a guard for 1 item (budget 32 + 64 values); the error, if any. */
function feed(parts: string[]): ApiError | undefined {
  const guard = new JsonShapeGuard(limits);
  try {
    for (const part of parts) guard.push(encoder.encode(part), part);
  } catch (error) {
    return error as ApiError;
  }
  return undefined;
}

describe("JsonShapeGuard", () => {
  const budget = 32 + ENVELOPE_VALUES;

  it("refuses more containers than the budget, and accepts exactly the budget", () => {
    expect(feed([`[${"{},".repeat(budget - 2)}{}]`])).toBeUndefined();
    expect(feed([`[${"{},".repeat(budget - 1)}{}]`])?.status).toBe(413);
  });

  it("counts commas between array elements but not between object members", () => {
    expect(feed([`{${Array.from({ length: 500 }, (_, i) => `"k${i}":${i}`).join(",")}}`])).toBeUndefined();
    expect(feed([`[${"1,".repeat(budget)}1]`])).toBeUndefined();
    expect(feed([`[${"1,".repeat(budget + 1)}1]`])?.code).toBe("too_many_events");
  });

  it("skips strings, with escaped quotes and backslashes, also when a part ends inside an escape", () => {
    const inside = `"${"{[,".repeat(200)}\\"{[,\\\\"`;
    expect(feed([`[${inside},${inside}]`])).toBeUndefined();
    // The part boundary falls between a backslash and the quote it escapes.
    const text = `["x\\", ${"{},".repeat(budget)}]`;
    const cut = text.indexOf("\\") + 1;
    expect(feed([text.slice(0, cut), text.slice(cut)])).toBeUndefined();
    // Once the string really closes, what follows counts.
    expect(feed([`["\\\\"`, `,${"{},".repeat(budget)}{}]`])?.status).toBe(413);
  });
});
