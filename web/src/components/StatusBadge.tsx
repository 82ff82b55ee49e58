import type { ModelStatus } from "../state/live-types.ts";

const LABELS: Record<string, string> = {
  healthy: "Healthy",
  warning: "Warning",
  drifting: "Drifting",
  degraded: "Degraded",
  no_data: "No data",
  open: "Open",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  info: "Info",
  critical: "Critical",
  connected: "Live",
  connecting: "Connecting",
  disconnected: "Reconnecting",
};

/** A coloured pill with a word, never colour alone, so it reads without colour vision too. */
export function StatusBadge({ status, label }: { status: ModelStatus | string; label?: string }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      {label ?? LABELS[status] ?? status}
    </span>
  );
}
