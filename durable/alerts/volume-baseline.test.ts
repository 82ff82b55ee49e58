import { describe, expect, it } from "vitest";
import { volumeBaselines } from "./volume-baseline.ts";

const MIN = 60_000;
const now = 1_000 * MIN;

describe("volumeBaselines", () => {
  it("averages the history before the window and scales it to the window", () => {
    // 100 events a minute for the last 3 hours.
    const points = Array.from({ length: 180 }, (_, i) => ({ t: now - (180 - i) * MIN, events: 100 }));
    const b = volumeBaselines(points, now);
    expect(b["5m"]).toBeCloseTo(500, 6);
    expect(b["1h"]).toBeCloseTo(6_000, 6);
    expect(b["24h"]).toBeNull();
  });

  it("counts silent minutes as zero and waits for twice the window of history", () => {
    const points = [{ t: now - 20 * MIN, events: 300 }];
    const b = volumeBaselines(points, now);
    expect(b["5m"]).toBeCloseTo((300 / (15 * MIN)) * 5 * MIN, 6);
    expect(b["1h"]).toBeNull();
    expect(volumeBaselines([], now)["5m"]).toBeNull();
  });
});
