// `vigil drift --embedding`: vector columns (JSON arrays in JSON Lines or CSV cells) are
// judged with the embedding methods, not per column; bad vectors are exit 2 naming the row.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelDrift } from "../stats/embeddings/embedding-drift.ts";
import { mulberry32, normalFrom } from "../stats/testing/rng.ts";

const root = join(import.meta.dirname, "..");
const directory = mkdtempSync(join(tmpdir(), "vigil-embedding-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function vigil(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), "drift", ...args], { cwd: root, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** n rows of an 8-d embedding (the first two components shifted by `shift`) and a plain feature. */
function rows(n: number, shift: number, seed: number): Array<{ x: number; e: number[] }> {
  const normal = normalFrom(mulberry32(seed));
  return Array.from({ length: n }, () => ({ x: normal(), e: Array.from({ length: 8 }, (_, k) => Number((normal() + (k < 2 ? shift : 0)).toFixed(6))) }));
}

function jsonl(name: string, data: ReturnType<typeof rows>): string {
  const path = join(directory, name);
  writeFileSync(path, data.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return path;
}

describe("vigil drift --embedding", () => {
  const referenceRows = rows(400, 0, 1);
  const currentRows = rows(300, 0.6, 2);
  const reference = jsonl("ref.jsonl", referenceRows);
  const current = jsonl("cur.jsonl", currentRows);

  it("judges the vector column with the model method by default, and the other columns as before", () => {
    const { code, stdout, stderr } = vigil(["--reference", reference, "--current", current, "--embedding", "e", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.columns.map((c: { column: string }) => c.column)).toEqual(["x"]);
    expect(report.embeddings).toHaveLength(1);
    const [e] = report.embeddings;
    expect(e).toMatchObject({ column: "e", dimension: 8, method: "model", drifted: true });
    // The same number the library gives on the same vectors.
    expect(e.score).toBeCloseTo(modelDrift(referenceRows.map((r) => r.e), currentRows.map((r) => r.e)).score, 12);
  });

  it("takes the other methods, and reads vectors written as CSV cells", () => {
    const csv = (name: string, data: ReturnType<typeof rows>) => {
      const path = join(directory, name);
      writeFileSync(path, `x,e\n${data.map((r) => `${r.x},"${JSON.stringify(r.e)}"`).join("\n")}\n`);
      return path;
    };
    const csvReference = csv("ref.csv", referenceRows);
    const csvCurrent = csv("cur.csv", currentRows);
    for (const method of ["distance", "ratio", "mmd"]) {
      const { code, stdout } = vigil(["--reference", csvReference, "--current", csvCurrent, "--embedding", "e", "--embedding-method", method, "--json"]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).embeddings[0]).toMatchObject({ column: "e", method, drifted: true });
    }
    const table = vigil(["--reference", csvReference, "--current", csvCurrent, "--embedding", "e", "--embedding-method", "mmd"]);
    expect(table.stdout).toMatch(/Embedding drift:\n {2}column +size +method +score +threshold +drifted\n {2}e +8-d +mmd /);
  });

  it("refuses a ragged vector with exit 2, naming the file and row", () => {
    const bad = join(directory, "bad.jsonl");
    writeFileSync(bad, `${JSON.stringify({ x: 1, e: [1, 2, 3, 4, 5, 6, 7, 8] })}\n${JSON.stringify({ x: 2, e: [1, 2] })}\n`);
    const result = vigil(["--reference", reference, "--current", bad, "--embedding", "e"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`vigil: --embedding e in ${bad}, row 2: has 2 components where earlier rows have 8\n`);
    expect(vigil(["--reference", reference, "--current", current, "--embedding", "e", "--embedding-method", "knn"]).stderr).toContain("--embedding-method must be one of model, distance, ratio, mmd");
  });
});
