// Cron parsing and next-run times (UTC), against dates worked out by hand from a calendar.
import { describe, expect, it } from "vitest";
import { CronError, longestGap, nextRun, parseCron } from "./cron.ts";

const next = (expr: string, after: string) => nextRun(parseCron(expr), new Date(after))?.toISOString();
const problem = (expr: string) => {
  try {
    parseCron(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(CronError);
    return (e as Error).message;
  }
  return "accepted";
};

describe("parseCron", () => {
  it("reads values, lists, ranges, steps and names", () => {
    const c = parseCron("*/15 9-17/4 1,15 JAN-mar mon-fri");
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([9, 13, 17]);
    expect([...c.days]).toEqual([1, 15]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron("5/20 * * * *").minutes]).toEqual([5, 25, 45]);
    expect([...parseCron("0 0 * * 7").weekdays]).toEqual([0]);
    expect(parseCron("  0   7 * *   1 ").source).toBe("0 7 * * 1");
  });

  it("names the field and the problem", () => {
    expect(problem("0 7 * *")).toBe("needs 5 fields (minute hour day-of-month month day-of-week), has 4");
    expect(problem("0 7 * * 1 2026")).toContain("has 6");
    expect(problem("")).toContain("has 0");
    expect(problem("60 * * * *")).toBe("minute: 60 is out of range 0-59");
    expect(problem("0 24 * * *")).toBe("hour: 24 is out of range 0-23");
    expect(problem("0 0 0 * *")).toBe("day of month: 0 is out of range 1-31");
    expect(problem("0 0 * 13 *")).toBe("month: 13 is out of range 1-12");
    expect(problem("0 0 * * 8")).toBe("day of week: 8 is out of range 0-7");
    expect(problem("0 0 * * MON-")).toContain('"MON-" is not a range');
    expect(problem("0 17-9 * * *")).toBe("hour: range 17-9 runs backwards");
    expect(problem("*/0 * * * *")).toContain("step \"0\" must be a whole number of at least 1");
    expect(problem("*/61 * * * *")).toContain("step 61 is larger");
    expect(problem("1,,2 * * * *")).toContain("empty list item");
    expect(problem("a * * * *")).toBe('minute: "a" is not a number');
    expect(problem("0 0 * FOO *")).toBe('month: "FOO" is not a number or a name');
    expect(problem("@daily")).toContain("needs 5 fields");
    expect(problem("0 0 30 2 *")).toBe("never matches a real date (e.g. 30 February)");
  });
});

describe("nextRun (UTC)", () => {
  it("finds the next matching minute, strictly after the given time", () => {
    // 2026-12-05 is a Saturday.
    expect(next("0 7 * * 1", "2026-12-05T14:00:00Z")).toBe("2026-12-07T07:00:00.000Z");
    expect(next("0 7 * * 1", "2026-12-07T07:00:00Z")).toBe("2026-12-14T07:00:00.000Z");
    expect(next("0 7 * * 1", "2026-12-07T06:59:59.999Z")).toBe("2026-12-07T07:00:00.000Z");
    expect(next("* * * * *", "2026-12-05T14:00:30Z")).toBe("2026-12-05T14:01:00.000Z");
    expect(next("*/15 * * * *", "2026-12-05T14:46:00Z")).toBe("2026-12-05T15:00:00.000Z");
    expect(next("30 23 31 12 *", "2026-12-31T23:30:00Z")).toBe("2027-12-31T23:30:00.000Z");
    expect(next("0 0 1 * *", "2026-12-05T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("matches either day field when both are restricted, as Vixie cron does", () => {
    // The 13th or a Friday: Friday 2026-12-11 comes before Sunday 2026-12-13.
    expect(next("0 0 13 * 5", "2026-12-05T00:00:00Z")).toBe("2026-12-11T00:00:00.000Z");
    expect(next("0 0 13 * 5", "2026-12-11T00:00:00Z")).toBe("2026-12-13T00:00:00.000Z");
    // Only the day of month when the weekday is `*`.
    expect(next("0 0 13 * *", "2026-12-05T00:00:00Z")).toBe("2026-12-13T00:00:00.000Z");
  });

  it("finds 29 February years ahead", () => {
    expect(next("0 12 29 2 *", "2026-12-05T00:00:00Z")).toBe("2028-02-29T12:00:00.000Z");
  });

  it("gives the period between runs for the default window", () => {
    const at = new Date("2026-12-05T14:00:00Z");
    expect(longestGap(parseCron("0 7 * * 1"), at)).toBe(7 * 86_400_000);
    expect(longestGap(parseCron("0 7 * * *"), at)).toBe(86_400_000);
    expect(longestGap(parseCron("0 * * * *"), at)).toBe(3_600_000);
    expect(longestGap(parseCron("0 7 * * 1,4"), at)).toBe(4 * 86_400_000);
  });
});
