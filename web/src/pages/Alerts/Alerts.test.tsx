import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App.tsx";
import { createAppState, KEY_STORAGE } from "../../state/app-state.ts";
import { fakeSockets, memoryStorage, routeFetch } from "../../testing/fake-socket.ts";

const ID = "5b0c7f0e-0000-4000-8000-000000000001";

function alert(status: string) {
  return {
    id: ID,
    status,
    severity: "critical",
    model: "credit-risk",
    version: "v3",
    rule: { id: null, name: "Feature drift", kind: "feature_drift" },
    window: "5m",
    summary: "income drifted (wasserstein_normed 1.9 ≥ 0.1)",
    value: 1.9,
    threshold: 0.1,
    features: [{ feature: "income", method: "wasserstein_normed", score: 1.9, threshold: 0.1 }],
    window_from: null,
    window_to: null,
    baseline: null,
    opened_at: "2026-11-26T09:00:00Z",
    acknowledged_at: null,
    resolved_at: null,
    fire_count: 3,
    acknowledged_by: null,
    resolved_by: null,
    last_fired_at: "2026-11-26T09:01:00Z",
  };
}

beforeEach(() => (location.hash = `#/alerts/${ID}`));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Alerts center", () => {
  it("acknowledges an alert with a note and shows the new state and its delivery log", async () => {
    let status = "open";
    const activity: unknown[] = [{ at: "2026-11-26T09:00:00Z", action: "open", from_status: null, to_status: "open", actor_type: "system", actor_id: "rule", note: null }];
    const acks: unknown[] = [];
    const { fn } = routeFetch({
      "/v1/alerts": () => Response.json({ alerts: [alert(status)] }),
      [`/v1/alerts/${ID}`]: () => Response.json({ ...alert(status), activity }),
      [`/v1/alerts/${ID}/ack`]: (init) => {
        acks.push(JSON.parse(String(init?.body)));
        status = "acknowledged";
        activity.push({ at: "2026-11-26T09:05:00Z", action: "acknowledge", from_status: "open", to_status: "acknowledged", actor_type: "api_key", actor_id: "vgl_0123abcd", note: "looking into it" });
        return Response.json(alert(status));
      },
      [`/v1/alerts/${ID}/deliveries`]: () =>
        Response.json({
          deliveries: [
            { id: "d1", channel_id: "c1", alert_id: ID, event: "alert.opened", status: "delivered", attempts: 4, next_attempt_at: null, last_status_code: 200, last_latency_ms: 35, last_error: null, delivered_at: null, created_at: "2026-11-26T09:00:01Z", log: [] },
          ],
        }),
      "/v1/channels": () => Response.json({ channels: [{ id: "c1", name: "ops-slack", kind: "slack", config: {}, models: null, enabled: true, created_at: "", updated_at: "" }] }),
    });
    vi.stubGlobal("fetch", fn);
    const state = createAppState({ session: memoryStorage({ [KEY_STORAGE]: "vgl_0123abcd_secret" }), hash: location.hash });
    render(<App state={state} sockets={fakeSockets().factory} />);

    const detail = await screen.findByTestId("alert-detail", {}, { timeout: 10_000 });
    expect(within(detail).getByText("income drifted (wasserstein_normed 1.9 ≥ 0.1)")).toBeTruthy();
    await within(detail).findByText("ops-slack");
    expect(within(detail).getByText("delivered")).toBeTruthy();

    fireEvent.input(within(detail).getByLabelText("Note (optional)"), { target: { value: "looking into it" } });
    fireEvent.click(within(detail).getByRole("button", { name: "Acknowledge" }));
    await waitFor(() => expect(within(screen.getByTestId("alert-detail")).queryByRole("button", { name: "Acknowledge" })).toBeNull());
    expect(acks).toEqual([{ note: "looking into it" }]);
    expect(within(screen.getByTestId("alert-detail")).getByText("“looking into it”")).toBeTruthy();
    expect(within(screen.getByTestId("alert-detail")).getAllByText("Acknowledged").length).toBeGreaterThan(0);
  });
});
