import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, parseRetryAfter } from "./backoff.ts";

describe("backoffDelay (full jitter)", () => {
  it("draws from [0, base·2^attempt), capped at maxMs", () => {
    const opts = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, opts, null, () => 0.999)).toBe(99);
    expect(backoffDelay(2, opts, null, () => 0.5)).toBe(200);
    expect(backoffDelay(10, opts, null, () => 0.999)).toBe(999);
    expect(backoffDelay(3, opts, null, () => 0)).toBe(0);
  });

  it("spreads retries: 1,000 draws at attempt 3 cover the range, not one value", () => {
    const draws = Array.from({ length: 1_000 }, () => backoffDelay(3, DEFAULT_BACKOFF, null));
    expect(Math.min(...draws)).toBeLessThan(200);
    expect(Math.max(...draws)).toBeGreaterThan(1_400);
    expect(Math.max(...draws)).toBeLessThan(1_600);
  });

  it("never waits less than Retry-After, and caps an absurd one", () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, 2_000, () => 0.9)).toBe(2_000);
    expect(backoffDelay(8, { baseMs: 1_000, maxMs: 60_000 }, 2_000, () => 0.9)).toBe(54_000);
    expect(backoffDelay(0, DEFAULT_BACKOFF, 86_400_000, () => 0)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["3", 3_000],
    [" 0 ", 0],
    ["Wed, 21 Oct 2015 07:28:10 GMT", 10_000],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
  ])("%s → %d ms", (header, ms) => {
    expect(parseRetryAfter(header, Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(ms);
  });

  it("is null when absent or unreadable", () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter("-5")).toBeNull();
  });
});
