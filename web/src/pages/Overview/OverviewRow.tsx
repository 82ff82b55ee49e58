import { Link } from "../../components/Link.tsx";
import { Sparkline } from "../../components/Sparkline.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatScore } from "../../components/format.ts";
import { useLiveRoom } from "../../live/use-live-room.ts";
import { useAppState, type ModelRow } from "../../state/app-state.ts";

/** One model version, live: its socket is open while the row is on screen. */
export function OverviewRow({ row }: { row: ModelRow }) {
  const state = useAppState();
  const { model, version } = row;
  const room = useLiveRoom(model.name, version.version);
  const perf = room.snapshot.value?.windows["5m"]?.performance ?? room.snapshot.value?.windows["1h"]?.performance ?? null;
  const alerts = state.openAlerts.value[`${model.name}:${version.version}`] ?? room.snapshot.value?.openAlerts ?? 0;
  return (
    <tr data-testid={`model-row-${model.name}-${version.version}`}>
      <th scope="row" style={{ fontSize: "14px", color: "var(--text)" }}>
        <Link to={{ page: "model", model: model.name, version: version.version }}>
          {model.name} <span class="muted">{version.version}</span>
        </Link>
      </th>
      <td>{model.project}</td>
      <td>{version.stage}</td>
      <td>
        <StatusBadge status={room.status.value} />
      </td>
      <td class="num" style={{ whiteSpace: "nowrap" }}>
        <span class="row" style={{ justifyContent: "flex-end", flexWrap: "nowrap" }}>
          <Sparkline values={room.rateSeries} label={`${model.name} ${version.version} events per minute, last hour`} width={90} height={22} />
          <span data-testid="event-rate">{room.eventRateText}</span>
        </span>
      </td>
      <td class="num" data-testid="drift-share">
        {room.driftShareText}
      </td>
      <td class="num">{perf ? `${perf.metric} ${formatScore(perf.value)}` : "—"}</td>
      <td class="num">{alerts > 0 ? <Link to={{ page: "alerts" }}>{alerts} open</Link> : <span class="muted">0</span>}</td>
    </tr>
  );
}
