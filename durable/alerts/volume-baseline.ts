// The trailing baseline for volume rules: the average event rate over the history
// before the window (up to 24 h of minute points), scaled to the window's length.
// Null until there is at least twice the window's length of history to average.
import type { WindowName } from "./metrics.ts";

const MINUTE = 60_000;
export const WINDOW_MS: Record<WindowName, number> = { "5m": 5 * MINUTE, "1h": 60 * MINUTE, "24h": 24 * 60 * MINUTE };
const HISTORY_MS = 24 * 60 * MINUTE;

/** `points` are per-minute event counts ({ t: minute start, events }); absent minutes had none. */
export function volumeBaselines(points: ReadonlyArray<{ t: number; events: number }>, now: number): Partial<Record<WindowName, number | null>> {
  const out: Partial<Record<WindowName, number | null>> = {};
  const first = points.reduce((min, p) => Math.min(min, p.t), Infinity);
  for (const [name, span] of Object.entries(WINDOW_MS) as Array<[WindowName, number]>) {
    const end = now - span;
    const start = Math.max(first, now - HISTORY_MS);
    const history = end - start;
    if (!Number.isFinite(first) || history < 2 * span) {
      out[name] = null;
      continue;
    }
    let events = 0;
    for (const p of points) if (p.t >= start && p.t < end) events += p.events;
    out[name] = (events / history) * span;
  }
  return out;
}
