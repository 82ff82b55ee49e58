import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddingsPanel } from "./EmbeddingsPanel.tsx";

afterEach(cleanup);

const view = {
  feature: "title", dimension: 768, components: 64, drifted: true,
  methods: {
    model: { score: 0.82, threshold: 0.55, drifted: true, ci95: [0.8, 0.84] },
    distance: { score: 0.41, threshold: 0.12, drifted: true, distance: "euclidean" as const },
    ratio: { score: 0.25, threshold: 0.2, drifted: true, drifted_components: 16 },
  },
  rows: { reference: 2_000, current: 1_750 }, reference: "first_events" as const, computed_at: 0,
};

describe("EmbeddingsPanel", () => {
  it("shows each embedding's three scores and verdict, and a waiting row for one not yet scored", () => {
    render(<EmbeddingsPanel features={["title", "image"]} embeddings={[view]} />);
    const rows = within(screen.getByTestId("embeddings")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("title 768 → 64");
    expect(rows[0]!.textContent).toContain("0.82 (0.8–0.84)");
    expect(rows[0]!.textContent).toContain("25%");
    expect(rows[0]!.textContent).toContain("drifted");
    expect(rows[1]!.textContent).toContain("each hold 200");
  });

  it("renders nothing for a version without embedding features", () => {
    const { container } = render(<EmbeddingsPanel features={[]} embeddings={[]} />);
    expect(container.textContent).toBe("");
  });
});
