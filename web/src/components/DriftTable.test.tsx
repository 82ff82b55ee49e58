import { cleanup, fireEvent, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { FeatureScore } from "../state/live-types.ts";
import { DriftTable } from "./DriftTable.tsx";

afterEach(cleanup);

const features: FeatureScore[] = [
  { feature: "income", kind: "numerical", test: "wasserstein_normed", score: 0.05, threshold: 0.1, direction: "distance", drifted: false },
  { feature: "age", kind: "numerical", test: "ks_p_value", score: 1e-9, threshold: 0.05, direction: "p_value", drifted: true },
  { feature: "region", kind: "categorical", test: "jensen_shannon", score: 0.2, threshold: 0.1, direction: "distance", drifted: true },
  { feature: "empty", kind: "numerical", test: "wasserstein_normed", score: null, threshold: 0.1, direction: "distance", drifted: false },
];

const names = () => within(screen.getByTestId("drift-table")).getAllByRole("rowheader").map((th) => th.textContent?.split(" ")[0]);

describe("DriftTable", () => {
  it("puts the worst drift first, across p-values and distances", () => {
    render(<DriftTable features={features} trends={{ age: [0.1, 0.001] }} caption="drift" />);
    // age: p=1e-9 vs 0.05 is ~6.9× past its threshold; region 2×; income 0.5×
    expect(names()).toEqual(["age", "region", "income", "empty"]);
    expect(screen.getAllByText("Drifted")).toHaveLength(2);
    expect(screen.getByText("1.0e-9")).toBeTruthy();
    expect(screen.getByText("< 0.05")).toBeTruthy();
  });

  it("sorts by a column when its header button is pressed, and reverses on a second press", () => {
    render(<DriftTable features={features} trends={{}} caption="drift" />);
    const header = screen.getByRole("button", { name: /Feature/ });
    fireEvent.click(header);
    expect(names()).toEqual(["age", "empty", "income", "region"]);
    expect(header.closest("th")?.getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(header);
    expect(names()).toEqual(["region", "income", "empty", "age"]);
    expect(header.closest("th")?.getAttribute("aria-sort")).toBe("descending");
  });

  it("tags the features the schema marks PII, and only those", () => {
    render(<DriftTable features={features} trends={{}} caption="drift" pii={{ region: "direct-identifier" }} />);
    const tags = screen.getAllByTestId("pii-tag");
    expect(tags).toHaveLength(1);
    expect(tags[0]!.closest("th")?.textContent).toContain("region");
    expect(tags[0]!.textContent).toBe("PII · direct-identifier");
  });
});
