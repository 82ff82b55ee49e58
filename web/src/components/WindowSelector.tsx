import type { Signal } from "@preact/signals";
import { WINDOWS, type WindowName } from "../state/live-types.ts";

/** The scoring window (5m, 1h, 24h) as a segmented control of toggle buttons. */
export function WindowSelector({ value }: { value: Signal<WindowName> }) {
  return (
    <div class="segmented" role="group" aria-label="Scoring window">
      {WINDOWS.map((w) => (
        <button key={w} type="button" aria-pressed={value.value === w} onClick={() => (value.value = w)}>
          {w}
        </button>
      ))}
    </div>
  );
}
