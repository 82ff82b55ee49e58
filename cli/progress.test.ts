import { describe, it, expect } from "vitest";
import { formatCells, progressReporter } from "./progress.ts";

describe("progressReporter", () => {
  it("stays silent up to 1M cells", () => {
    const lines: string[] = [];
    const progress = progressReporter("ref.csv", (line) => lines.push(line), () => 0);
    progress.update(500_000);
    progress.update(1_000_000);
    progress.done();
    expect(lines).toEqual([]);
  });

  it("reports large inputs at most once a second, then a final line", () => {
    const lines: string[] = [];
    let time = 0;
    const progress = progressReporter("ref.parquet", (line) => lines.push(line), () => time);
    progress.update(1_200_000);
    time = 500;
    progress.update(1_500_000);
    time = 1_600;
    progress.update(2_500_000);
    time = 1_700;
    progress.update(3_000_000);
    time = 2_000;
    progress.done();
    expect(lines).toEqual([
      "reading ref.parquet: 1.2M cells\n",
      "reading ref.parquet: 2.5M cells\n",
      "reading ref.parquet: 3.0M cells, done in 2.0 s\n",
    ]);
  });

  it("formats cell counts", () => {
    expect(formatCells(999)).toBe("999 cells");
    expect(formatCells(12_345)).toBe("12.3k cells");
    expect(formatCells(2_000_000_000)).toBe("2.0G cells");
  });
});
