import { cleanup, fireEvent, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SegmentsView } from "../../../../durable/protocol.ts";
import { heat, SegmentsPanel } from "./SegmentsPanel.tsx";

afterEach(cleanup);

const item = (key: string, rows: number, ratios: (number | null)[], drifted: string[] = []) => ({
  key, rows, driftShare: drifted.length / 2, driftedFeatures: drifted, ratios, baseline: "global" as const, since: 0, computedAt: 0,
});

const segments: SegmentsView = {
  window: "1h",
  topK: 20,
  alpha: 0.0025,
  items: [item("region:eu", 2_000, [3.2, 0.4], ["age"]), item("region:us", 1_500, [0.3, null]), item("other", 10, [0.1, 0.2])],
  segment_drift: { drifting: ["region:eu"], scored: 3 },
};

describe("SegmentsPanel", () => {
  it("draws a segment × feature heatmap of score ÷ threshold and names the drifting segments", () => {
    render(<SegmentsPanel segments={segments} features={["age", "income"]} selected={null} onSelect={() => {}} />);
    const table = screen.getByTestId("segment-heatmap");
    const header = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(header).toEqual(["Segment", "Events", "age", "income"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    const eu = within(rows[0]!).getAllByRole("cell");
    expect(eu[1]!.textContent).toBe("3.20");
    expect(eu[1]!.getAttribute("data-ratio")).toBe("3.2");
    expect(eu[1]!.querySelector("strong")).not.toBeNull(); // past the threshold: emphasised
    expect(eu[2]!.querySelector("strong")).toBeNull();
    expect(rows[0]!.textContent).toContain("drifting");
    expect(within(rows[1]!).getAllByRole("cell")[2]!.textContent).toBe("–"); // no values of income
    expect(screen.getByTestId("segment-drift").textContent).toContain("region:eu");
    // Past the threshold is red, below it amber fading to none.
    expect(heat(3.2)).toMatch(/^rgba\(220, 38, 38/);
    expect(heat(0.4)).toMatch(/^rgba\(245, 158, 11/);
    expect(heat(null)).toBe("transparent");
  });

  it("switches the live view with the selector and the row buttons", () => {
    const onSelect = vi.fn();
    const { rerender } = render(<SegmentsPanel segments={segments} features={["age", "income"]} selected={null} onSelect={onSelect} />);
    const select = screen.getByTestId("segment-select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", "region:eu", "region:us", "other"]);
    fireEvent.change(select, { target: { value: "region:us" } });
    expect(onSelect).toHaveBeenLastCalledWith("region:us");
    rerender(<SegmentsPanel segments={segments} features={["age", "income"]} selected="region:us" onSelect={onSelect} />);
    expect((screen.getByTestId("segment-select") as HTMLSelectElement).value).toBe("region:us");
    // The selected row's button goes back to all traffic.
    fireEvent.click(screen.getByRole("button", { name: "region:us" }));
    expect(onSelect).toHaveBeenLastCalledWith(null);
    fireEvent.click(screen.getByRole("button", { name: "region:eu" }));
    expect(onSelect).toHaveBeenLastCalledWith("region:eu");
  });

  it("renders nothing before any segment is tracked", () => {
    const { container } = render(<SegmentsPanel segments={null} features={["age"]} selected={null} onSelect={() => {}} />);
    expect(container.textContent).toBe("");
  });
});
