// Five-field cron expressions (minute hour day-of-month month day-of-week, in UTC, as
// Cloudflare's cron triggers read them) for the schedules table: a sentence a person can
// check ("at 07:00 UTC on Monday") and the next time one fires. Standard cron rules:
// `*`, lists `a,b`, ranges `a-b`, steps `*/n` and `a-b/n`, month and day names, 7 as
// Sunday, and when both day fields are restricted a day matching either fires.

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

export interface Cron {
  minutes: number[];
  hours: number[];
  days: number[];
  months: number[];
  weekdays: number[];
  /** Whether each field was `*` (unrestricted), which the day rule and the wording need. */
  any: { minute: boolean; hour: boolean; day: boolean; month: boolean; weekday: boolean };
  /** The step of a `*\/n` field, for "every 15 minutes". */
  step: { minute: number | null; hour: number | null };
}

export class CronError extends Error {}

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase() as never) ?? -1;
  const n = named >= 0 ? named + (spec.min === 1 ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new CronError(`${spec.name}: "${text}" is not between ${spec.min} and ${spec.max}`);
  return n;
}

function field(text: string, spec: FieldSpec): { values: number[]; any: boolean; step: number | null } {
  const out = new Set<number>();
  let step: number | null = null;
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const by = stepText === undefined ? 1 : /^\d+$/.test(stepText) && Number(stepText) > 0 ? Number(stepText) : NaN;
    if (Number.isNaN(by)) throw new CronError(`${spec.name}: bad step "${stepText}"`);
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [spec.min, spec.name === "day of week" ? 6 : spec.max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-") as [string, string];
      [lo, hi] = [value(a, spec), value(b, spec)];
      if (hi < lo) throw new CronError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      lo = value(range, spec);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += by) out.add(spec.name === "day of week" && v === 7 ? 0 : v);
    if (range === "*" && stepText !== undefined && text.split(",").length === 1) step = by;
  }
  return { values: [...out].sort((a, b) => a - b), any: text === "*", step };
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`a cron has 5 fields (minute hour day-of-month month day-of-week); "${expr}" has ${parts.length}`);
  const [mi, h, d, mo, w] = parts.map((p, i) => field(p, FIELDS[i]!)) as [ReturnType<typeof field>, ReturnType<typeof field>, ReturnType<typeof field>, ReturnType<typeof field>, ReturnType<typeof field>];
  return {
    minutes: mi.values, hours: h.values, days: d.values, months: mo.values, weekdays: w.values,
    any: { minute: mi.any, hour: h.any, day: d.any, month: mo.any, weekday: w.any },
    step: { minute: mi.step, hour: h.step },
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "Monday", "Monday to Friday", "Monday and Thursday", "Monday, Wednesday and Friday". */
function listWords(values: number[], names: string[]): string {
  const runs: number[][] = [];
  for (const v of values) {
    const last = runs.at(-1);
    if (last && last.at(-1)! + 1 === v) last.push(v);
    else runs.push([v]);
  }
  const words = runs.flatMap((r) => (r.length >= 3 ? [`${names[r[0]!]} to ${names[r.at(-1)!]}`] : r.map((v) => names[v]!)));
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function timeWords(c: Cron): string {
  if (c.any.minute && c.any.hour) return "every minute";
  if (c.step.minute && c.any.hour) return `every ${c.step.minute} minutes`;
  if (c.minutes.length === 1 && c.any.hour) return c.minutes[0] === 0 ? "every hour, on the hour" : `every hour at ${pad(c.minutes[0]!)} minutes past`;
  if (c.minutes.length === 1 && c.step.hour) return `every ${c.step.hour} hours at ${pad(c.minutes[0]!)} minutes past (from 00:${pad(c.minutes[0]!)})`;
  if (c.hours.length * c.minutes.length <= 4 && !c.any.hour) return `at ${c.hours.flatMap((h) => c.minutes.map((m) => `${pad(h)}:${pad(m)}`)).join(", ")} UTC`;
  const mins = c.any.minute ? "every minute" : `at minute ${c.minutes.join(", ")}`;
  return `${mins} of hour ${c.hours.join(", ")} UTC`;
}

/** A sentence for a cron: "at 07:00 UTC on Monday", "every 15 minutes", "at 06:00 UTC on day 1 of the month". */
export function describeCron(expr: string): string {
  const c = parseCron(expr);
  const parts = [timeWords(c)];
  const weekdays = !c.any.weekday && c.weekdays.length < 7;
  const days = !c.any.day;
  if (days && weekdays) parts.push(`on day ${c.days.join(", ")} of the month or on ${listWords(c.weekdays, DAY_NAMES)}`);
  else if (days) parts.push(`on day ${c.days.join(", ")} of the month`);
  else if (weekdays) parts.push(`on ${listWords(c.weekdays, DAY_NAMES)}`);
  else if (parts[0]!.startsWith("at ")) parts.push("every day");
  if (!c.any.month) parts.push(`in ${listWords(c.months.map((m) => m - 1), MONTH_NAMES)}`);
  return parts.join(" ");
}

/** The first time after `after` (exclusive, whole minutes, UTC) the cron fires; null if none in the next five years (e.g. 30 February). */
export function nextRun(expr: string, after: Date): Date | null {
  const c = parseCron(expr);
  const start = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const dayMatches = (d: Date) => {
    const dom = c.days.includes(d.getUTCDate());
    const dow = c.weekdays.includes(d.getUTCDay());
    if (c.any.day && c.any.weekday) return true;
    if (c.any.day) return dow;
    if (c.any.weekday) return dom;
    return dom || dow;
  };
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  for (let i = 0; i < 5 * 366; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (!c.months.includes(day.getUTCMonth() + 1) || !dayMatches(day)) continue;
    for (const h of c.hours) {
      for (const m of c.minutes) {
        const t = day.getTime() + h * 3_600_000 + m * 60_000;
        if (t >= start.getTime()) return new Date(t);
      }
    }
  }
  return null;
}
