import { describe, it, expect } from "vitest";
import { parseCommandLine, parseDriftOptions, UsageError } from "./args.ts";

const files = ["--reference", "ref.csv", "--current", "cur.csv"];

describe("parseDriftOptions", () => {
  it("reads files, column lists, tests, threshold and --json", () => {
    const options = parseDriftOptions([
      ...files,
      "--numerical",
      "a, b",
      "--categorical=c",
      "--test",
      "ks,psi",
      "--threshold=0.2",
      "--json",
    ]);
    expect(options).toEqual({
      reference: "ref.csv",
      current: "cur.csv",
      numerical: ["a", "b"],
      categorical: ["c"],
      tests: ["ks", "psi"],
      threshold: 0.2,
      json: true,
      multivariate: false,
      embeddings: [],
      embeddingMethod: "model",
      html: undefined,
    });
  });

  it("defaults to inferred columns, default tests only and a table", () => {
    const options = parseDriftOptions(files);
    expect(options.numerical).toEqual([]);
    expect(options.tests).toBeUndefined();
    expect(options.threshold).toBeUndefined();
    expect(options.json).toBe(false);
    expect(options.multivariate).toBe(false);
  });

  it("takes embedding columns and a method, refusing an unknown method or a column given twice", () => {
    const options = parseDriftOptions([...files, "--embedding", "text_emb", "--embedding=image_emb,text_emb", "--embedding-method", "mmd"]);
    expect(options.embeddings).toEqual(["text_emb", "image_emb"]);
    expect(options.embeddingMethod).toBe("mmd");
    expect(() => parseDriftOptions([...files, "--embedding", "e", "--embedding-method", "knn"])).toThrow('--embedding-method must be one of model, distance, ratio, mmd, got "knn"');
    expect(() => parseDriftOptions([...files, "--embedding", "e", "--numerical", "e"])).toThrow('column "e" is given as an embedding and as a numerical column');
  });

  it("takes the two files as arguments, reference first, and --html", () => {
    const options = parseDriftOptions(["ref.csv", "cur.csv", "--html", "report.html"]);
    expect([options.reference, options.current, options.html]).toEqual(["ref.csv", "cur.csv", "report.html"]);
    expect(() => parseDriftOptions(["ref.csv"])).toThrow("the current file is missing: vigil drift ref.csv <current>");
    expect(() => parseDriftOptions(["a.csv", "b.csv", "c.csv"])).toThrow('unexpected argument "c.csv"');
    expect(() => parseDriftOptions(["a.csv", "b.csv", ...files])).toThrow("either as two arguments or with --reference and --current");
  });

  it("takes --multivariate as a switch without a value", () => {
    expect(parseDriftOptions([...files, "--multivariate"]).multivariate).toBe(true);
    expect(() => parseDriftOptions([...files, "--multivariate=yes"])).toThrow("--multivariate takes no value");
  });

  it("merges repeated list options and lets all win", () => {
    const options = parseDriftOptions([...files, "--numerical", "a", "--numerical", "b,a", "--test", "ks", "--test", "all"]);
    expect(options.numerical).toEqual(["a", "b"]);
    expect(options.tests).toBe("all");
  });

  it.each([
    [[], "--reference <file> is required"],
    [["--reference", "r.csv"], "--current <file> is required"],
    [[...files, "--threshold", "abc"], '--threshold must be a finite number >= 0, got "abc"'],
    [[...files, "--threshold", "-1"], '--threshold must be a finite number >= 0, got "-1"'],
    [[...files, "--threshold="], '--threshold must be a finite number >= 0, got ""'],
    [[...files, "--threshold", "0.1", "--threshold", "0.2"], "--threshold is given more than once"],
    [[...files, "--numerical"], "--numerical needs a value"],
    [[...files, "--numerical", "--json"], "--numerical needs a value"],
    [[...files, "--numerical", "a,,b"], '--numerical needs a comma-separated list without empty names: "a,,b"'],
    [[...files, "--numerical", "a", "--categorical", "a"], 'column "a" is given as both numerical and categorical'],
    [[...files, "--tests", "ks"], "unknown option --tests; did you mean --test? (see vigil drift --help)"],
    [[...files, "--verbose"], "unknown option --verbose (see vigil drift --help)"],
    [[...files, "extra.csv"], "give the files either as two arguments or with --reference and --current, not both"],
    [[...files, "--json=yes"], "--json takes no value"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseDriftOptions(argv)).toThrow(new UsageError(message));
  });
});

describe("parseCommandLine", () => {
  it("routes to help or drift", () => {
    expect(parseCommandLine([])).toEqual({ name: "help", topic: "vigil" });
    expect(parseCommandLine(["--help"])).toEqual({ name: "help", topic: "vigil" });
    expect(parseCommandLine(["help", "drift"])).toEqual({ name: "help", topic: "drift" });
    expect(parseCommandLine(["drift", "--help"])).toEqual({ name: "help", topic: "drift" });
    expect(parseCommandLine(["drift", ...files])).toMatchObject({ name: "drift", options: { reference: "ref.csv" } });
  });

  it("rejects an unknown command", () => {
    expect(() => parseCommandLine(["drfit"])).toThrow('unknown command "drfit"');
  });
});
