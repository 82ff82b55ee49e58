import type { Signal } from "@preact/signals";

export type TimeRange = { kind: "live" } | { kind: "last"; minutes: number } | { kind: "between"; from: string; to: string };

const PRESETS: { label: string; value: string; range: TimeRange }[] = [
  { label: "Live tail", value: "live", range: { kind: "live" } },
  { label: "Last 15 minutes", value: "15", range: { kind: "last", minutes: 15 } },
  { label: "Last hour", value: "60", range: { kind: "last", minutes: 60 } },
  { label: "Last 6 hours", value: "360", range: { kind: "last", minutes: 360 } },
  { label: "Last 24 hours", value: "1440", range: { kind: "last", minutes: 1440 } },
  { label: "Last 7 days", value: "10080", range: { kind: "last", minutes: 10080 } },
  { label: "Custom…", value: "custom", range: { kind: "between", from: "", to: "" } },
];

export function rangeValue(r: TimeRange): string {
  return r.kind === "live" ? "live" : r.kind === "last" ? String(r.minutes) : "custom";
}

/** `[from, to]` in ms for a range, or null for the live tail. */
export function rangeBounds(r: TimeRange, now = Date.now()): [number, number] | null {
  if (r.kind === "live") return null;
  if (r.kind === "last") return [now - r.minutes * 60_000, now];
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? [from, to] : null;
}

/** Live tail, a preset, or a custom from/to (local time inputs). */
export function TimeRangePicker({ value }: { value: Signal<TimeRange> }) {
  const r = value.value;
  return (
    <div class="row">
      <label>
        Time range
        <select
          value={rangeValue(r)}
          onChange={(e) => {
            const preset = PRESETS.find((p) => p.value === (e.currentTarget as HTMLSelectElement).value);
            if (preset) value.value = preset.range;
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {r.kind === "between" && (
        <>
          <label>
            From
            <input type="datetime-local" value={r.from} onChange={(e) => (value.value = { ...r, from: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={r.to} onChange={(e) => (value.value = { ...r, to: (e.currentTarget as HTMLInputElement).value })} />
          </label>
        </>
      )}
    </div>
  );
}
