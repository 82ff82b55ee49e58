import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Impact, ImpactEvent } from "../../api/impact.ts";
import { CorrelationCard } from "./CorrelationCard.tsx";
import { EventsTable } from "./EventsTable.tsx";

afterEach(cleanup);

const impact = (over: Partial<Impact> = {}): Impact => ({
  metric: "accuracy", kpi: "conversion", granularity: "hour", currency: null, points: [], n: 24,
  pearson: { r: 0.62, ci95: [0.28, 0.82], p: 0.0012, pAdjusted: 0.04, n: 24, nEffective: 11.2 },
  spearman: { r: 0.55, ci95: [0.18, 0.78], p: 0.005, pAdjusted: 0.07, n: 24, nEffective: 12 },
  bestLag: { lag: 2, r: 0.7, n: 22, pBonferroni: 0.01 }, reasons: {}, ...over,
});

describe("CorrelationCard", () => {
  it("shows r with its interval, both p-values and the lag in words", () => {
    render(<CorrelationCard impact={impact()} />);
    expect(screen.getByTestId("pearson-r").textContent).toBe("0.62");
    const card = screen.getByTestId("correlation").textContent!;
    expect(card).toContain("0.28 – 0.82");
    expect(card).toContain("0.040");
    expect(card).toContain("conversion follows 2 hours later, r = 0.70");
  });

  it("says why there is no correlation instead of showing one", () => {
    render(<CorrelationCard impact={impact({ n: 7, pearson: null, spearman: null, bestLag: null, reasons: { correlation: "n = 7 aligned points; a correlation needs at least 10" } })} />);
    expect(screen.getByTestId("correlation-reason").textContent).toBe("No correlation: n = 7 aligned points; a correlation needs at least 10.");
    expect(screen.queryByTestId("pearson-r")).toBeNull();
  });
});

describe("EventsTable", () => {
  it("shows the KPI change with its interval, or the reason there is none", () => {
    const events: ImpactEvent[] = [
      { kind: "drift", label: "drift of income", severity: null, start: 0, end: 3_600_000, shift: { before: 0.43, after: 0.409, difference: -0.021, ci95: [-0.028, -0.014], p: 0.001 }, reason: null },
      { kind: "alert", label: "Dataset drift", severity: "warning", start: 0, end: 60_000, shift: null, reason: "needs at least 2 KPI points on each side (before: 1, after: 0)" },
    ];
    render(<EventsTable events={events} kpi="conversion" />);
    const rows = screen.getByTestId("impact-events").querySelectorAll("tbody tr");
    expect(rows[0]!.lastElementChild!.textContent).toBe("−0.0210 (−0.0280 to −0.0140)");
    expect(rows[1]!.lastElementChild!.textContent).toContain("needs at least 2 KPI points");
  });
});
