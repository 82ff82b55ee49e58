// Which minute each event of a batch counts in: the minute of its own timestamp, so
// windows, performance (actuals join the prediction's minute) and volume follow
// prediction time rather than arrival time. A timestamp after the batch's arrival can
// only come from a client clock running fast; such an event counts at its arrival.
import type { RowSelection } from "../../stats/streaming/columns.ts";
import { minuteOf } from "./buckets.ts";

export interface MinuteGroup {
  minute: number;
  /** Rows stamped in this minute, or null when the whole batch is. */
  rows: RowSelection;
}

export interface MinuteGroups {
  groups: MinuteGroup[];
  /** Each row's minute. */
  minutes: Float64Array;
}

export function groupByMinute(timestamps: Float64Array, receivedAt: number): MinuteGroups {
  const n = timestamps.length;
  const minutes = new Float64Array(n);
  let first = Number.NaN;
  let mixed = false;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i] as number;
    const m = minuteOf(t > receivedAt ? receivedAt : t);
    minutes[i] = m;
    if (i === 0) first = m;
    else if (m !== first) mixed = true;
  }
  if (n === 0) return { groups: [], minutes };
  // The common case: a batch sent as it was produced sits in one minute.
  if (!mixed) return { groups: [{ minute: first, rows: null }], minutes };
  const byMinute = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const m = minutes[i] as number;
    const rows = byMinute.get(m);
    if (rows) rows.push(i);
    else byMinute.set(m, [i]);
  }
  const groups = [...byMinute].sort(([a], [b]) => a - b).map(([minute, rows]) => ({ minute, rows: Int32Array.from(rows) }));
  return { groups, minutes };
}
