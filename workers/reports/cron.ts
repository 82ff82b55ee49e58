// Five-field cron expressions for report schedules, evaluated in UTC: minute (0-59), hour
// (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (0-7 or SUN-SAT, 0 and
// 7 both Sunday). Each field is `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`
// (from a to the field's end), or a comma-separated list of those. As in Vixie cron (and
// POSIX crontab), when both day fields are restricted a day matches if EITHER matches;
// when one is `*`, only the other decides. Macros (@daily) and seconds are not accepted.

export class CronError extends Error {}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

export interface Cron {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0-6, Sunday 0 (a 7 is folded into 0). */
  weekdays: ReadonlySet<number>;
  /** Whether the day-of-month / day-of-week field was restricted (not `*`). */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  // Month names count from 1, weekday names from 0.
  if (named >= 0) return spec.name === "month" ? named + 1 : named;
  if (!/^\d+$/.test(text)) throw new CronError(`${spec.name}: "${text}" is not a number${spec.names ? " or a name" : ""}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronError(`${spec.name}: ${n} is out of range ${spec.min}-${spec.max}`);
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    if (part === "") throw new CronError(`${spec.name}: empty list item in "${text}"`);
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new CronError(`${spec.name}: "${part}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronError(`${spec.name}: step "${stepText}" must be a whole number of at least 1`);
      step = Number(stepText);
      if (step > spec.max - spec.min + 1) throw new CronError(`${spec.name}: step ${step} is larger than the field's range ${spec.min}-${spec.max}`);
    }
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = spec.min;
      hi = spec.max;
    } else if (range!.includes("-")) {
      const [a, b, more] = range!.split("-");
      if (more !== undefined || !a || !b) throw new CronError(`${spec.name}: "${range}" is not a range a-b`);
      lo = value(a, spec);
      hi = value(b, spec);
      if (lo > hi) throw new CronError(`${spec.name}: range ${a}-${b} runs backwards`);
    } else {
      lo = value(range!, spec);
      // `a/n` means from a to the end of the field, stepping n (as Vixie cron reads it).
      hi = stepText !== undefined ? spec.max : lo;
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

/** Parses a 5-field expression; throws CronError naming the field and the problem. */
export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (source.trim() === "" || parts.length !== 5) {
    throw new CronError(`needs 5 fields (minute hour day-of-month month day-of-week), has ${source.trim() === "" ? 0 : parts.length}`);
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, FIELDS[i]!)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.delete(7)) weekdays.add(0);
  const cron: Cron = { source: parts.join(" "), minutes, hours, days, months, weekdays, daysRestricted: parts[2] !== "*", weekdaysRestricted: parts[4] !== "*" };
  if (nextRun(cron, new Date(Date.UTC(2000, 0, 1))) === null) throw new CronError("never matches a real date (e.g. 30 February)");
  return cron;
}

function dayMatches(cron: Cron, d: Date): boolean {
  if (!cron.months.has(d.getUTCMonth() + 1)) return false;
  const byDay = cron.days.has(d.getUTCDate());
  const byWeekday = cron.weekdays.has(d.getUTCDay());
  if (cron.daysRestricted && cron.weekdaysRestricted) return byDay || byWeekday;
  if (cron.daysRestricted) return byDay;
  if (cron.weekdaysRestricted) return byWeekday;
  return true;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Searched ahead before giving up: covers 29 February with every weekday restriction (28 years). */
const HORIZON_DAYS = 366 * 29;

/** The first time strictly after `after` (to the minute, UTC) that the expression matches; null if none within 29 years. */
export function nextRun(cron: Cron, after: Date): Date | null {
  const start = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  let day = Math.floor(start / DAY) * DAY;
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  for (let i = 0; i <= HORIZON_DAYS; i++, day += DAY) {
    const d = new Date(day);
    if (!dayMatches(cron, d)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = day + h * 3_600_000 + m * MINUTE;
        if (t >= start) return new Date(t);
      }
    }
  }
  return null;
}

/** The longest gap between consecutive runs among the next `count` runs after `after` (ms): the cron's period. */
export function longestGap(cron: Cron, after: Date, count = 8): number {
  let previous = nextRun(cron, after);
  let longest = 0;
  for (let i = 0; previous && i < count; i++) {
    const next = nextRun(cron, previous);
    if (!next) break;
    longest = Math.max(longest, next.getTime() - previous.getTime());
    previous = next;
  }
  return longest;
}
