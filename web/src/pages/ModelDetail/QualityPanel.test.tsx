import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { QualityPanel } from "./QualityPanel.tsx";

afterEach(cleanup);

const row = (feature: string, missingRate: number, absentRate: number | null) => ({
  feature, missingRate, outOfRangeRate: null, newCategoryRate: null, typeViolationRate: null, absentRate,
});

describe("QualityPanel", () => {
  it("shows absent keys per feature and the keys the baseline does not know", () => {
    render(<QualityPanel rows={[row("income", 0.4, 0.4), row("age", 0, 0)]} unknown={[{ key: "annual_income", rate: 0.4 }, { key: "promo", rate: 0.02 }]} />);
    const income = screen.getByRole("rowheader", { name: "income" }).closest("tr")!;
    const cells = within(income).getAllByRole("cell").map((c) => c.textContent);
    expect(cells.at(-1)).toBe("40.0%");
    const unknown = screen.getByTestId("unknown-features");
    expect(unknown.textContent).toContain("annual_income");
    expect(unknown.textContent).toContain("promo");
  });

  it("says nothing about unknown keys when there are none", () => {
    render(<QualityPanel rows={[row("income", 0, 0)]} />);
    expect(screen.queryByTestId("unknown-features")).toBeNull();
  });
});
