import { describe, expect, it } from "vitest";
import { CronError, describeCron, nextRun, parseCron } from "./cron.ts";

describe("describeCron", () => {
  it.each([
    ["0 7 * * 1", "at 07:00 UTC on Monday"],
    ["30 6 * * 1-5", "at 06:30 UTC on Monday to Friday"],
    ["0 0 * * *", "at 00:00 UTC every day"],
    ["*/15 * * * *", "every 15 minutes"],
    ["0 * * * *", "every hour, on the hour"],
    ["5 * * * *", "every hour at 05 minutes past"],
    ["0 6 1 * *", "at 06:00 UTC on day 1 of the month"],
    ["0 9 1 1,7 *", "at 09:00 UTC on day 1 of the month in January and July"],
    ["0 8 * * mon,wed,fri", "at 08:00 UTC on Monday, Wednesday and Friday"],
    ["0 8 * * 0,7", "at 08:00 UTC on Sunday"],
    ["0 8,20 * * *", "at 08:00, 20:00 UTC every day"],
    ["0 */6 * * *", "every 6 hours at 00 minutes past (from 00:00)"],
  ])("%s reads as %s", (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it.each([
    ["0 7 * *", /5 fields/],
    ["60 7 * * *", /minute: "60" is not between 0 and 59/],
    ["0 7 * * 8", /day of week/],
    ["0 7 5-1 * *", /runs backwards/],
    ["*/0 * * * *", /bad step/],
  ])("refuses %s, naming the field", (cron, why) => {
    expect(() => parseCron(cron)).toThrow(CronError);
    expect(() => parseCron(cron)).toThrow(why);
  });
});

describe("nextRun", () => {
  const at = (iso: string) => new Date(iso);
  it("finds the next Monday 07:00 UTC, strictly after the given time", () => {
    // 2026-12-05 is a Saturday.
    expect(nextRun("0 7 * * 1", at("2026-12-05T14:16:30Z"))!.toISOString()).toBe("2026-12-07T07:00:00.000Z");
    expect(nextRun("0 7 * * 1", at("2026-12-07T07:00:00Z"))!.toISOString()).toBe("2026-12-14T07:00:00.000Z");
    expect(nextRun("0 7 * * 1", at("2026-12-07T06:59:59Z"))!.toISOString()).toBe("2026-12-07T07:00:00.000Z");
  });

  it("steps minutes and crosses months and years", () => {
    expect(nextRun("*/15 * * * *", at("2026-12-05T14:16:00Z"))!.toISOString()).toBe("2026-12-05T14:30:00.000Z");
    expect(nextRun("0 6 1 * *", at("2026-12-05T00:00:00Z"))!.toISOString()).toBe("2027-01-01T06:00:00.000Z");
    expect(nextRun("0 0 29 2 *", at("2026-03-01T00:00:00Z"))!.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("fires on either day field when both are restricted, as cron does", () => {
    // Day 10 of the month or a Monday: from Saturday 5 December the Monday (7th) comes first.
    expect(nextRun("0 12 10 * 1", at("2026-12-05T00:00:00Z"))!.toISOString()).toBe("2026-12-07T12:00:00.000Z");
    expect(nextRun("0 12 10 * 1", at("2026-12-07T13:00:00Z"))!.toISOString()).toBe("2026-12-10T12:00:00.000Z");
  });

  it("answers null for a date that never comes", () => {
    expect(nextRun("0 0 30 2 *", at("2026-01-01T00:00:00Z"))).toBeNull();
  });
});
