// The exact count behind the quick one: strings (escapes included, split across parts)
// hide their brackets and commas; containers and array elements outside them count.
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { CONTAINERS_PER_ITEM, ELEMENTS_PER_ITEM, ENVELOPE, JsonShapeGuard } from "./json-shape.ts";

const encoder = new TextEncoder();
const limits = { maxItems: 1, items: "events", code: "too_many_events", lines: false };

/** Feeds `parts` to a guard for 1 item; the error, if any. */
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
  const budget = CONTAINERS_PER_ITEM + ENVELOPE;
  const elements = ELEMENTS_PER_ITEM + ENVELOPE;

  it("refuses more containers than the budget, and accepts exactly the budget", () => {
    expect(feed([`[${"{},".repeat(budget - 2)}{}]`])).toBeUndefined();
    const error = feed([`[${"{},".repeat(budget - 1)}{}]`]);
    expect(error?.status).toBe(413);
    expect(error?.message).toContain(`more than ${budget} objects and arrays`);
  });

  it("counts commas between array elements but not between object members", () => {
    expect(feed([`{${Array.from({ length: 500 }, (_, i) => `"k${i}":${i}`).join(",")}}`])).toBeUndefined();
    expect(feed([`[${"1,".repeat(elements)}1]`])).toBeUndefined();
    expect(feed([`[${"1,".repeat(elements + 1)}1]`])?.message).toContain(`more than ${elements} array elements`);
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
