import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { MultivariatePanel } from "./MultivariatePanel.tsx";

afterEach(cleanup);

describe("MultivariatePanel", () => {
  it("shows both scores, their verdicts and the features moving together", () => {
    render(
      <MultivariatePanel
        multivariate={{
          classifier: { auc: 0.91, low: 0.89, high: 0.93, drifted: true, topFeatures: [{ feature: "age", importance: 0.5 }, { feature: "income", importance: 0.48 }] },
          reconstruction: { error: 1.4, lower: 0.9, upper: 1.1, drifted: true },
          computedAt: Date.UTC(2026, 11, 5, 9, 0),
          rows: { reference: 5_000, current: 4_200 },
          reference: "upload",
        }}
      />,
    );
    const panel = screen.getByTestId("multivariate");
    expect(panel.textContent).toContain("0.91 (0.89–0.93)");
    expect(panel.textContent).toContain("age 50%, income 48%");
    expect(panel.textContent).toContain("1.4 (expected 0.9–1.1)");
    expect(screen.getAllByText("drifted")).toHaveLength(2);
    expect(screen.getByText(/uploaded baseline's rows/)).toBeTruthy();
  });

  it("says when it will appear", () => {
    render(<MultivariatePanel multivariate={null} />);
    expect(screen.getByText(/each hold 200 rows/)).toBeTruthy();
  });
});
