import { formatRate, roomName } from "../../state/live-room.ts";
import { useAppState, type ModelRow } from "../../state/app-state.ts";
import type { ModelStatus } from "../../state/live-types.ts";

/** Counts across every model version: how many need attention, total traffic, open alerts. */
export function OverviewSummary({ rows }: { rows: ModelRow[] }) {
  const state = useAppState();
  const counts: Record<ModelStatus, number> = { healthy: 0, warning: 0, drifting: 0, degraded: 0, no_data: 0 };
  let rate = 0;
  // Rows create their rooms as they mount; re-count when one appears.
  void state.roomsChanged.value;
  for (const row of rows) {
    const room = state.rooms.get(roomName(row.model.name, row.version.version));
    counts[room?.status.value ?? "no_data"]++;
    rate += room?.snapshot.value?.eventRate ?? 0;
  }
  const alerts = Object.values(state.openAlerts.value).reduce((a, b) => a + b, 0);
  const attention = counts.drifting + counts.degraded;
  return (
    <dl class="summary" aria-label="Summary">
      <div class="kpi">
        <dt>Model versions</dt>
        <dd>{rows.length}</dd>
      </div>
      <div class="kpi">
        <dt>Drifting or degraded</dt>
        <dd style={{ color: attention ? "var(--bad)" : undefined }} data-testid="summary-attention">
          {attention}
        </dd>
      </div>
      <div class="kpi">
        <dt>Warnings</dt>
        <dd style={{ color: counts.warning ? "var(--warn)" : undefined }}>{counts.warning}</dd>
      </div>
      <div class="kpi">
        <dt>Open alerts</dt>
        <dd style={{ color: alerts ? "var(--bad)" : undefined }}>{alerts}</dd>
      </div>
      <div class="kpi">
        <dt>Total events</dt>
        <dd>{formatRate(rate)}</dd>
      </div>
    </dl>
  );
}
