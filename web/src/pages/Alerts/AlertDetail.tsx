import { useEffect, useState } from "preact/hooks";
import { acknowledgeAlert, listDeliveries, resolveAlert, type Alert, type Delivery } from "../../api/alerts.ts";
import { describeError } from "../../api/errors.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { formatMs, formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useAppState } from "../../state/app-state.ts";

/** One alert: what fired, its history, acknowledge/resolve with a note, and where it was delivered. */
export function AlertDetail({ alert, onChanged }: { alert: Alert; onChanged: () => void }) {
  const state = useAppState();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [deliveryError, setDeliveryError] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setDeliveries(null);
    listDeliveries(state.api, alert.id, ctl.signal)
      .then((p) => setDeliveries(p.items))
      .catch((err: unknown) => !ctl.signal.aborted && setDeliveryError(describeError(err)));
    return () => ctl.abort();
  }, [state, alert.id, alert.status]);

  const act = async (what: "ack" | "resolve") => {
    setBusy(true);
    setError(null);
    try {
      await (what === "ack" ? acknowledgeAlert : resolveAlert)(state.api, alert.id, note.trim());
      setNote("");
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card stack" aria-labelledby="alert-title">
      <div>
        <h2 id="alert-title">{alert.summary || alert.rule || `Alert ${alert.id}`}</h2>
        <div class="row">
          <StatusBadge status={alert.status} />
          <StatusBadge status={alert.severity} />
          <Link to={{ page: "model", model: alert.model, version: alert.version }}>
            {alert.model} {alert.version}
          </Link>
          <span class="muted">opened {formatTime(alert.openedAt)}</span>
        </div>
      </div>
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
      {alert.history.length > 0 && (
        <div>
          <h3>History</h3>
          <ol class="stack" style={{ gap: "0.3rem", paddingLeft: "1.2rem", margin: 0 }}>
            {alert.history.map((h, i) => (
              <li key={i}>
                <strong>{h.action}</strong> by {h.actor || "system"} · {formatTime(h.at)}
                {h.note && <div class="muted">“{h.note}”</div>}
              </li>
            ))}
          </ol>
        </div>
      )}
      <div>
        <h3>Deliveries</h3>
        {deliveryError ? (
          <p class="muted">{deliveryError}</p>
        ) : deliveries === null ? (
          <p class="muted">Loading…</p>
        ) : deliveries.length === 0 ? (
          <p class="muted">Not delivered to any channel. Add a channel under Management.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Channel</th>
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
                <th scope="col">At</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{d.channel}</td>
                  <td>{d.status}</td>
                  <td class="num">{d.attempts}</td>
                  <td class="num">{d.responseCode ?? "—"}</td>
                  <td class="num">{formatMs(d.latencyMs)}</td>
                  <td>{formatTime(d.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
