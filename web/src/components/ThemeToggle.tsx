import { useAppState } from "../state/app-state.ts";
import { cycleTheme, setTheme } from "../state/actions.ts";

const NAMES = { system: "System", dark: "Dark", light: "Light" } as const;

/** Cycles system → dark → light; the label says what is active and what a press does. */
export function ThemeToggle() {
  const state = useAppState();
  const current = state.theme.value;
  const next = cycleTheme(current);
  return (
    <button
      type="button"
      onClick={() => setTheme(state, next, globalThis.localStorage)}
      aria-label={`Theme: ${NAMES[current]}. Switch to ${NAMES[next]}`}
      title={`Switch to ${NAMES[next]} theme`}
    >
      {current === "dark" ? "☾" : current === "light" ? "☀" : "◐"} {NAMES[current]} theme
    </button>
  );
}
