import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "./concurrency.ts";

describe("concurrencyLimit", () => {
  it("never runs more than n tasks at once, runs them all, and passes results and errors through", async () => {
    const limited = concurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1 + (i % 4)));
      running--;
      if (i === 7) throw new Error("seven");
      return i * 2;
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => limited(task(i))));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2).filter((v) => v !== 14),
    );
    expect(results[7]).toMatchObject({ status: "rejected", reason: new Error("seven") });
  });
});
