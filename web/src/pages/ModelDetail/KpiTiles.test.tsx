import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { LiveRoom } from "../../state/live-room.ts";
import type { WindowSnapshot } from "../../state/live-types.ts";
import { KpiTiles } from "./KpiTiles.tsx";

afterEach(cleanup);

const room = { eventRateText: "12/s" } as unknown as LiveRoom;
const window = (extra: Partial<WindowSnapshot>): WindowSnapshot => ({
  window: "5m", events: 400, features: [], prediction: null, driftShare: 0, latency: null, performance: null, quality: [], unknownFeatures: [], distributions: {}, ...extra,
});

describe("KpiTiles", () => {
  it("shows the label-free estimate with its band beside the realised metric", () => {
    render(<KpiTiles room={room} window={window({ estimated: { metric: "roc_auc", value: 0.812, low: 0.79, high: 0.83, diverged: [] } })} />);
    const tile = screen.getByTestId("kpi-estimated");
    expect(tile.textContent).toContain("Estimated roc_auc");
    expect(tile.textContent).toContain("0.812");
    expect(tile.textContent).toContain("0.79–0.83");
    expect(screen.queryByRole("status")).toBeNull();
    expect(screen.getByText("awaiting labels")).toBeTruthy();
  });

  it("warns when labels disagree with the estimate", () => {
    render(<KpiTiles room={room} window={window({ estimated: { metric: "accuracy", value: 0.7, low: 0.68, high: 0.72, diverged: ["accuracy"] } })} />);
    expect(screen.getByRole("status").textContent).toContain("labels disagree (accuracy)");
  });

  it("has no estimate tile without scored binary predictions", () => {
    render(<KpiTiles room={room} window={window({})} />);
    expect(screen.queryByTestId("kpi-estimated")).toBeNull();
  });
});
