import { describe, expect, it } from "vitest";
import { BASE_DELAY_MS, GIVE_UP_AFTER_MS, MAX_ATTEMPTS, MAX_DELAY_MS, maxDelayFor, nextAttemptAt, worstCaseScheduleMs } from "./backoff.ts";

const H = 3_600_000;

describe("delivery backoff", () => {
  it("doubles from the base up to the cap", () => {
    expect([1, 2, 3, 4].map(maxDelayFor)).toEqual([BASE_DELAY_MS, 2 * BASE_DELAY_MS, 4 * BASE_DELAY_MS, 8 * BASE_DELAY_MS]);
    expect(maxDelayFor(30)).toBe(MAX_DELAY_MS);
  });

  it("draws each wait uniformly from [0, max] (full jitter)", () => {
    expect(nextAttemptAt(3, 0, 1_000, () => 0)).toBe(1_000);
    expect(nextAttemptAt(3, 0, 1_000, () => 0.5)).toBe(1_000 + maxDelayFor(3) / 2);
    expect(nextAttemptAt(3, 0, 1_000, () => 0.999999)).toBeLessThan(1_000 + maxDelayFor(3));
  });

  it("spans about a day at most, then dead-letters", () => {
    const worst = worstCaseScheduleMs();
    expect(worst).toBeGreaterThan(20 * H);
    expect(worst).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(nextAttemptAt(MAX_ATTEMPTS, 0, 0, () => 0)).toBeNull();
    // A retry that would start past 24 h after the first attempt is not scheduled.
    expect(nextAttemptAt(5, 0, GIVE_UP_AFTER_MS - 1_000, () => 0.99)).toBeNull();
  });

  it("always dead-letters within the attempt budget, whatever the jitter draws", () => {
    for (const r of [0, 0.3, 0.999]) {
      let now = 0;
      let attempts = 1;
      for (;;) {
        const next = nextAttemptAt(attempts, 0, now, () => r);
        if (next === null) break;
        now = next;
        attempts += 1;
      }
      expect(attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(now).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    }
  });
});
