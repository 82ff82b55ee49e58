import { useState } from "preact/hooks";
import { acknowledgeAlert, getAlert, listDeliveries, resolveAlert } from "../../api/alerts.ts";
import { listChannels } from "../../api/channels.ts";
import { describeError } from "../../api/errors.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { formatMs, formatScore, formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useAppState } from "../../state/app-state.ts";

/** One alert: what fired and why, its activity, acknowledge/resolve with a note, and its delivery log. */
export function AlertDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const state = useAppState();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const detail = useRequest((s) => getAlert(state.api, id, s), [state, id]);
  const deliveries = useRequest((s) => listDeliveries(state.api, id, s), [state, id]);
  const channels = useRequest((s) => listChannels(state.api, s).catch(() => []), [state]);
  const channelName = (cid: string) => channels.data?.find((c) => c.id === cid)?.name ?? cid.slice(0, 8);

  const act = async (what: "ack" | "resolve") => {
    setBusy(true);
    setError(null);
    try {
      await (what === "ack" ? acknowledgeAlert : resolveAlert)(state.api, id, note.trim());
      setNote("");
      detail.reload();
      deliveries.reload();
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  if (!detail.data) return <RequestStatus request={detail} what="this alert" />;
  const { alert, activity } = detail.data;
  return (
    <section class="card stack" aria-labelledby="alert-title" data-testid="alert-detail">
      <div>
        <h2 id="alert-title">{alert.summary || alert.rule}</h2>
        <div class="row">
          <StatusBadge status={alert.status} />
          <StatusBadge status={alert.severity} />
          <Link to={{ page: "model", model: alert.model, version: alert.version }}>
            {alert.model} {alert.version}
          </Link>
          <span class="muted">
            {alert.rule} · {alert.window} · opened {formatTime(alert.openedAt)}
            {alert.fireCount > 1 ? ` · fired ${alert.fireCount}×` : ""}
          </span>
        </div>
      </div>
      {(alert.value !== null || alert.features.length > 0) && (
        <dl class="kpis">
          {alert.value !== null && (
            <div class="kpi">
              <dt>Value</dt>
              <dd>
                {formatScore(alert.value)} <span class="muted" style={{ fontSize: "12px" }}>vs {formatScore(alert.threshold)}</span>
              </dd>
            </div>
          )}
          {alert.features.slice(0, 5).map((f) => (
            <div class="kpi" key={f.feature}>
              <dt>
                {f.feature} {f.method && <span class="mono">({f.method})</span>}
              </dt>
              <dd>
                {formatScore(f.score)} <span class="muted" style={{ fontSize: "12px" }}>vs {formatScore(f.threshold)}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {error && <ErrorBanner title="The change was not saved" message={error} />}
      {alert.status !== "resolved" && (
        <form class="stack" onSubmit={(e) => e.preventDefault()} aria-label="Acknowledge or resolve">
          <label>
            Note (optional)
            <textarea rows={2} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <div class="row">
            {alert.status === "open" && (
              <button type="button" class="primary" disabled={busy} onClick={() => void act("ack")}>
                Acknowledge
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => void act("resolve")}>
              Resolve
            </button>
          </div>
        </form>
      )}
      <div>
        <h3>Activity</h3>
        <ol class="stack" style={{ gap: "0.3rem", paddingLeft: "1.2rem", margin: 0 }}>
          {activity.map((h, i) => (
            <li key={i}>
              <strong>{h.action}</strong> by {h.actor} · {formatTime(h.at)}
              {h.note && <div class="muted">“{h.note}”</div>}
            </li>
          ))}
        </ol>
      </div>
      <div>
        <h3>Deliveries</h3>
        <RequestStatus request={deliveries} what="deliveries" />
        {deliveries.data &&
          (deliveries.data.length === 0 ? (
            <p class="muted">Not delivered to any channel. Add one under Management → Channels.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col" class="num">
                    Response
                  </th>
                  <th scope="col" class="num">
                    Latency
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.map((d) => (
                  <tr key={d.id}>
                    <td>{channelName(d.channelId)}</td>
                    <td>{d.event}</td>
                    <td title={d.error ?? undefined}>{d.status}</td>
                    <td class="num">{d.attempts}</td>
                    <td class="num">{d.responseCode ?? "—"}</td>
                    <td class="num">{formatMs(d.latencyMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </div>
    </section>
  );
}
