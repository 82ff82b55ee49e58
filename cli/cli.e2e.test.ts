// End-to-end: spawn `node cli/main.ts drift ...` on the fixture files and
// compare with scipy's numbers (scripts/fixtures/gen_cli_fixtures.py writes both).

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DriftReport } from "../stats/drift/types.ts";

const root = join(import.meta.dirname, "..");
const fixtures = join(import.meta.dirname, "fixtures");
const fixture = (name: string) => join(fixtures, name);
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as {
  small: Record<"ks" | "psi" | "chisquare" | "z", Record<string, number>>;
  large: Record<"wasserstein" | "jensenshannon", Record<string, number>>;
};

type ReadMode = "always" | "never";

/** Runs the CLI; `parallel` forces reading the two files in worker threads or not. */
function runVigil(args: string[], parallel: ReadMode = "never"): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VIGIL_PARALLEL_READ: parallel },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function driftJson(args: string[], parallel: ReadMode = "never"): DriftReport {
  const { code, stdout, stderr } = runVigil(["drift", ...args, "--json"], parallel);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as DriftReport;
}

/** The agreement rule of docs/drift-tests.md: 1e-6 relative or 1e-9 absolute. */
function expectScore(actual: number | undefined, reference: number | undefined): void {
  expect(actual).toBeTypeOf("number");
  expect(reference).toBeTypeOf("number");
  const error = Math.abs((actual as number) - (reference as number));
  expect(error <= 1e-9 || error <= 1e-6 * Math.abs(reference as number), `${actual} vs scipy ${reference}`).toBe(true);
}

function row(report: DriftReport, column: string, test: string) {
  return report.columns.find((entry) => entry.column === column && entry.test === test);
}

const small = ["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv")];

describe("vigil drift on CSV", () => {
  it("scores each column with its default test, matching scipy", () => {
    const report = driftJson(small);
    expect(report.columns.map((entry) => [entry.column, entry.kind, entry.test, entry.default])).toEqual([
      ["wind", "numerical", "ks", true],
      ["temp", "numerical", "ks", true],
      ["city", "categorical", "chisquare", true],
      ["segment", "categorical", "z", true],
    ]);
    expectScore(row(report, "wind", "ks")?.score, expected.small.ks.wind);
    expectScore(row(report, "temp", "ks")?.score, expected.small.ks.temp);
    expectScore(row(report, "city", "chisquare")?.score, expected.small.chisquare.city);
    expectScore(row(report, "segment", "z")?.score, expected.small.z.segment);
    expect(report.columns.map((entry) => entry.drifted)).toEqual([true, false, true, false]);
    expect(row(report, "wind", "ks")).toMatchObject({ threshold: 0.05, direction: "p_value" });
    expect(report.dataset).toEqual({
      number_of_columns: 4,
      number_of_drifted_columns: 2,
      share_of_drifted_columns: 0.5,
      drift_share_threshold: 0.5,
      dataset_drift: true,
    });
  });

  it("adds the tests asked for with --test, marked as not default", () => {
    const report = driftJson([...small, "--test", "psi"]);
    for (const column of ["wind", "temp", "city", "segment"]) {
      const psi = row(report, column, "psi");
      expect(psi?.default).toBe(false);
      expectScore(psi?.score, expected.small.psi[column]);
    }
    expect(report.dataset.number_of_columns).toBe(4);
  });

  it("applies --threshold to every test", () => {
    const report = driftJson([...small, "--threshold", "0.3"]);
    expect(report.columns.every((entry) => entry.threshold === 0.3)).toBe(true);
    expect(row(report, "temp", "ks")?.drifted).toBe((expected.small.ks.temp as number) <= 0.3);
  });

  it("judges exactly the columns given with --numerical/--categorical", () => {
    const report = driftJson([...small, "--numerical", "temp", "--categorical", "segment"]);
    expect(report.columns.map((entry) => [entry.column, entry.kind])).toEqual([
      ["temp", "numerical"],
      ["segment", "categorical"],
    ]);
  });

  it("uses wasserstein and jensenshannon above 1000 reference rows", () => {
    const report = driftJson(["--reference", fixture("large_ref.csv"), "--current", fixture("large_cur.csv")]);
    expect(report.columns.map((entry) => entry.test)).toEqual(["wasserstein", "jensenshannon"]);
    expectScore(row(report, "income", "wasserstein")?.score, expected.large.wasserstein.income);
    expectScore(row(report, "channel", "jensenshannon")?.score, expected.large.jensenshannon.channel);
  });

  it("prints a readable table by default", () => {
    const { code, stdout, stderr } = runVigil(["drift", ...small]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^column\s+kind\s+test\s+score\s+threshold\s+drifted$/);
    expect(lines[1]).toMatch(/^wind\s+numerical\s+ks\s+\S+\s+0\.05\s+yes$/);
    expect(stdout).toContain("Dataset drift: yes (2 of 4 columns drifted, share 0.5, threshold 0.5)");
  });
});

describe("vigil drift on other formats", () => {
  it("gives the same report for JSON Lines, a JSON array, Parquet and CSV, read in parallel or not", () => {
    const csv = driftJson(small);
    for (const extension of ["csv", "jsonl", "json", "parquet"]) {
      const files = ["--reference", fixture(`small_ref.${extension}`), "--current", fixture(`small_cur.${extension}`)];
      expect(driftJson(files)).toEqual(csv);
      expect(driftJson(files, "always")).toEqual(csv);
    }
  });

  it("reads only the listed columns, in parallel too", () => {
    const listed = [...small, "--numerical", "wind", "--categorical", "city"];
    const report = driftJson(listed, "always");
    expect(report.columns.map((entry) => entry.column)).toEqual(["wind", "city"]);
    expect(report).toEqual(driftJson(listed));
  });

  it("mixes formats", () => {
    const report = driftJson(["--reference", fixture("small_ref.jsonl"), "--current", fixture("small_cur.csv")]);
    expectScore(row(report, "wind", "ks")?.score, expected.small.ks.wind);
  });
});

describe("vigil drift bad input", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  function expectBadInput(args: string[], pattern: RegExp): void {
    for (const parallel of ["never", "always"] as const) {
      const { code, stdout, stderr } = runVigil(["drift", ...args], parallel);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.endsWith("\n")).toBe(true);
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(pattern);
    }
  }

  it("a missing file", () => {
    expectBadInput(["--reference", join(dir, "nope.csv"), "--current", fixture("small_cur.csv")], /^vigil: .*nope\.csv: file not found$/m);
  });

  it("two bad files: the reference is reported, as if read first", () => {
    const bad = file("bad-ref.csv", "a,b\n1\n");
    expectBadInput(["--reference", bad, "--current", join(dir, "missing.csv")], /bad-ref\.csv: row 1 \(line 2\)/);
  });

  it("an unknown file type", () => {
    const tsv = file("data.tsv", "a\tb\n");
    expectBadInput(["--reference", tsv, "--current", tsv], /data\.tsv: unknown file type; expected one of \.csv, \.jsonl/);
  });

  it("an unknown column, naming the file", () => {
    expectBadInput([...small, "--numerical", "pressure"], /small_ref\.csv: no column "pressure"/);
  });

  it("an unknown test id", () => {
    expectBadInput([...small, "--test", "kss"], /kss/);
  });

  it("an empty column, naming the file and column", () => {
    const empty = file("empty.csv", "wind,temp\n,1\nNA,2\n");
    expectBadInput(["--reference", fixture("small_ref.csv"), "--current", empty], /empty\.csv: column "wind" is empty/);
  });

  it("a malformed CSV row, naming the row", () => {
    const bad = file("bad.csv", 'wind,temp\n1,2\n3,"x,y",4\n');
    expectBadInput(["--reference", bad, "--current", bad], /bad\.csv: row 2 \(line 3\): expected 2 fields, found 3$/m);
  });

  it("a bad JSON line, naming the line", () => {
    const bad = file("bad.jsonl", '{"wind":1}\n{"wind":\n');
    expectBadInput(["--reference", fixture("small_ref.csv"), "--current", bad], /bad\.jsonl: line 2: not valid JSON/);
  });

  it("a bad --threshold", () => {
    expectBadInput([...small, "--threshold", "x"], /^vigil: --threshold must be a finite number >= 0, got "x"$/m);
  });
});

describe("progress on large inputs", () => {
  it("writes progress lines to stderr only past 1M cells", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-progress-"));
    try {
      const columns = 11;
      const rows = 100_000; // 1.1M cells
      const header = Array.from({ length: columns }, (_, index) => `c${index}`).join(",");
      const line = Array.from({ length: columns }, (_, index) => index).join(",");
      const lines = [header];
      for (let index = 0; index < rows; index++) lines.push(index % 7 === 0 ? line.replace(/^0/, String(index % 13)) : line);
      const big = join(dir, "big.csv");
      writeFileSync(big, `${lines.join("\n")}\n`);
      for (const parallel of ["never", "always"] as const) {
        const { code, stderr } = runVigil(["drift", "--reference", big, "--current", big, "--numerical", "c0", "--json"], parallel);
        expect(code).toBe(0);
        expect(stderr.match(/^reading big\.csv: 1\.1M cells, done in \d+\.\d s$/gm)).toHaveLength(2);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
