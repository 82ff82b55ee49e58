import { useState } from "preact/hooks";
import { CHANNEL_KINDS, createChannel, listChannels, testChannel, type ChannelKind } from "../../api/channels.ts";
import { describeError } from "../../api/errors.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";

/** Where alerts go: create a channel, and send it a test to prove the wiring. */
export function ChannelsTab() {
  const state = useAppState();
  const channels = useRequest((s) => listChannels(state.api, s), [state]);
  const [form, setForm] = useState({ name: "", kind: "webhook" as ChannelKind, url: "", secret: "", routing_key: "", models: "" });
  const [error, setError] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const models = form.models.split(",").map((m) => m.trim()).filter(Boolean);
    const config: Record<string, string> = form.kind === "pagerduty" ? { routing_key: form.routing_key } : { url: form.url, ...(form.secret ? { secret: form.secret } : {}) };
    try {
      const created = await createChannel(state.api, { name: form.name.trim(), kind: form.kind, config, ...(models.length ? { models } : {}) });
      setSecret(created.secret ? { name: created.channel.name, secret: created.secret } : null);
      setForm({ ...form, name: "", url: "", secret: "", routing_key: "" });
      channels.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const test = async (id: string) => {
    setTests({ ...tests, [id]: "sending…" });
    try {
      const r = await testChannel(state.api, id);
      const how = `${r.statusCode ?? "no response"}, ${Math.round(r.latencyMs)} ms`;
      setTests((t) => ({ ...t, [id]: r.ok ? `delivered (${how})` : `not delivered (${how}): ${r.error ?? r.status}` }));
    } catch (err) {
      setTests((t) => ({ ...t, [id]: `failed: ${describeError(err)}` }));
    }
  };

  return (
    <div class="stack">
      {error && <ErrorBanner title="The channel was not created" message={error} />}
      {secret && (
        <div class="card stack" role="status">
          <strong>Signing secret for {secret.name}. Copy it now; it will not be shown again.</strong>
          <code class="secret">{secret.secret}</code>
          <div>
            <button type="button" onClick={() => setSecret(null)}>
              I have stored it
            </button>
          </div>
        </div>
      )}
      <form class="card stack" onSubmit={submit} aria-label="Create a channel">
        <div class="row" style={{ alignItems: "flex-end" }}>
          <label>
            Name
            <input required value={form.name} onInput={(e) => set({ name: val(e) })} />
          </label>
          <label>
            Kind
            <select value={form.kind} onChange={(e) => set({ kind: val(e) as ChannelKind })}>
              {CHANNEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {form.kind === "pagerduty" ? (
            <label>
              Routing key
              <input required value={form.routing_key} onInput={(e) => set({ routing_key: val(e) })} />
            </label>
          ) : (
            <label style={{ flex: 1, minWidth: "16rem" }}>
              URL
              <input required type="url" value={form.url} onInput={(e) => set({ url: val(e) })} placeholder="https://hooks.example.com/vigil" />
            </label>
          )}
          {(form.kind === "webhook" || form.kind === "retrain") && (
            <label>
              Signing secret
              <input type="password" autocomplete="off" value={form.secret} onInput={(e) => set({ secret: val(e) })} />
            </label>
          )}
          <label>
            Models (comma-separated, empty = all)
            <input value={form.models} onInput={(e) => set({ models: val(e) })} />
          </label>
        </div>
        <div>
          <button class="primary" type="submit">
            Create channel
          </button>
        </div>
      </form>
      <RequestStatus request={channels} what="channels" />
      {channels.data && (
        <table class="card">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Models</th>
              <th scope="col">Test</th>
            </tr>
          </thead>
          <tbody>
            {channels.data.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">
                  No channels yet: alerts show here only. Create one above to hear about them in Slack, PagerDuty, Teams or your own service.
                </td>
              </tr>
            )}
            {channels.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>
                  {c.kind}
                  {c.enabled ? "" : " (disabled)"}
                </td>
                <td>{c.models?.length ? c.models.join(", ") : "all"}</td>
                <td>
                  <button type="button" onClick={() => void test(c.id)} aria-label={`Send a test to ${c.name}`}>
                    Send test
                  </button>{" "}
                  <span role="status">{tests[c.id] ?? ""}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
