// `vigil drift --html`: one self-contained file (no script, nothing fetched), with the
// summary, every (column, test) row and one plot per column; checked by parsing it.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Window } from "happy-dom";
import { afterAll, describe, expect, it } from "vitest";
import { columnPlot } from "./report-plots.ts";

const root = join(import.meta.dirname, "..");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);
const directory = mkdtempSync(join(tmpdir(), "vigil-html-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function vigil(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), "drift", ...args], { cwd: root, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parse(html: string): Document {
  const window = new Window();
  window.document.write(html);
  return window.document as unknown as Document;
}

describe("vigil drift --html", () => {
  it("writes the report the JSON describes, with a plot per column, and nothing to fetch or run", () => {
    const out = join(directory, "report.html");
    const json = vigil([fixture("small_ref.csv"), fixture("small_cur.csv"), "--html", out, "--test", "psi", "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.plots).toBeUndefined();
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import/i);
    const document = parse(html);
    const rows = [...document.querySelectorAll("table")[0]!.querySelectorAll("tbody tr")];
    expect(rows).toHaveLength(report.columns.length);
    rows.forEach((row, i) => {
      const cells = [...row.querySelectorAll("td")].map((cell) => cell.textContent);
      expect(cells[0]).toBe(report.columns[i].column);
      expect(cells[5]).toBe(report.columns[i].drifted ? "drift" : "no drift");
    });
    const figures = [...document.querySelectorAll("figure")];
    expect(figures.map((f) => f.querySelector("figcaption")!.textContent)).toEqual([...new Set(report.columns.map((c: { column: string }) => c.column))]);
    for (const figure of figures) expect(figure.querySelectorAll("svg rect").length).toBeGreaterThan(1);
    expect(document.querySelector(".verdict")!.textContent).toContain(`${report.dataset.number_of_drifted_columns} of ${report.dataset.number_of_columns} columns drifted`);
  });

  it("adds the multivariate section when asked, and says why it cannot write", () => {
    const out = join(directory, "multi.html");
    expect(vigil([fixture("small_ref.csv"), fixture("small_cur.csv"), "--multivariate", "--html", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("Domain classifier AUC");
    const bad = vigil([fixture("small_ref.csv"), fixture("small_cur.csv"), "--html", join(directory, "no-such-dir", "r.html")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vigil: --html .*r\.html: cannot write the report \(ENOENT\)\n$/);
  });
});

describe("columnPlot", () => {
  it("bins both sides over the range they share, as shares", () => {
    const plot = columnPlot("x", "numerical", Float64Array.of(0, 1, 2, 3), Float64Array.of(2, 3, 4, Number.NaN));
    expect(plot.kind === "numerical" && [plot.edges[0], plot.edges.at(-1)]).toEqual([0, 4]);
    expect(plot.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(plot.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(plot.current.at(-1)).toBeCloseTo(1 / 3, 12);
  });

  it("keeps the most frequent labels and pools the rest", () => {
    const labels = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const plot = columnPlot("city", "categorical", [...labels, "c0", "c0"], ["c1", null, ""]);
    expect(plot.kind === "categorical" && plot.categories[0]).toBe("c0");
    expect(plot.kind === "categorical" && plot.categories.at(-1)).toBe("(other)");
    expect(plot.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
