// Command-line parsing for `vigil`. Parsing only checks the shape of the arguments;
// whether files, columns and test ids exist is checked where they are used.

import { parseImportCommand, type ImportCommand } from "./import/args.ts";
import { UsageError } from "./usage-error.ts";

export { UsageError };

export interface DriftOptions {
  reference: string;
  current: string;
  /** Columns given as numerical / categorical; when either is set, exactly these are judged. */
  numerical: string[];
  categorical: string[];
  /** Extra tests beyond each column's default ("all": every applicable test). */
  tests: string[] | "all" | undefined;
  threshold: number | undefined;
  json: boolean;
  /** Adds the multivariate section (domain classifier and reconstruction error). */
  multivariate: boolean;
  /** Columns holding one vector per row (JSON arrays), judged as embeddings, not per column. */
  embeddings: string[];
  embeddingMethod: EmbeddingMethod;
  /** Also write the report as a self-contained HTML file here. */
  html: string | undefined;
}

export const EMBEDDING_METHODS = ["model", "distance", "ratio", "mmd"] as const;
export type EmbeddingMethod = (typeof EMBEDDING_METHODS)[number];

export type Command = { name: "help"; topic: "vigil" | "drift" } | { name: "drift"; options: DriftOptions } | ImportCommand;

const DRIFT_FLAGS = ["--reference", "--current", "--numerical", "--categorical", "--test", "--threshold", "--json", "--multivariate", "--embedding", "--embedding-method", "--html", "--help"];

export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    return { name: "help", topic: rest[0] === "drift" ? "drift" : "vigil" };
  }
  if (command === "drift") {
    if (rest.includes("--help") || rest.includes("-h")) return { name: "help", topic: "drift" };
    return { name: "drift", options: parseDriftOptions(rest) };
  }
  if (command === "import") return parseImportCommand(rest);
  throw new UsageError(`unknown command "${command}"; the commands are "drift" and "import" (see vigil --help)`);
}

export function parseDriftOptions(argv: readonly string[]): DriftOptions {
  const options: DriftOptions = {
    reference: "",
    current: "",
    numerical: [],
    categorical: [],
    tests: undefined,
    threshold: undefined,
    json: false,
    multivariate: false,
    embeddings: [],
    embeddingMethod: "model",
    html: undefined,
  };
  const positional: string[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (!argument.startsWith("--")) {
      // `vigil drift ref.csv cur.csv`: the reference, then the current file.
      if (positional.length === 2) throw new UsageError(`unexpected argument "${argument}"; give two files: vigil drift <reference> <current>`);
      positional.push(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const flag = equals < 0 ? argument : argument.slice(0, equals);
    if (!DRIFT_FLAGS.includes(flag)) {
      throw new UsageError(`unknown option ${flag}${suggestion(flag)} (see vigil drift --help)`);
    }
    if (flag === "--json" || flag === "--multivariate") {
      if (equals >= 0) throw new UsageError(`${flag} takes no value`);
      if (flag === "--json") options.json = true;
      else options.multivariate = true;
      continue;
    }
    let value: string;
    if (equals >= 0) {
      value = argument.slice(equals + 1);
    } else {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      value = next;
      index++;
    }
    const repeatable = flag === "--numerical" || flag === "--categorical" || flag === "--test" || flag === "--embedding";
    if (!repeatable && seen.has(flag)) throw new UsageError(`${flag} is given more than once`);
    seen.add(flag);
    applyOption(options, flag, value);
  }
  if (positional.length > 0) {
    if (options.reference !== "" || options.current !== "") throw new UsageError("give the files either as two arguments or with --reference and --current, not both");
    if (positional.length === 1) throw new UsageError(`the current file is missing: vigil drift ${positional[0]} <current>`);
    [options.reference, options.current] = positional as [string, string];
  }
  if (options.reference === "") throw new UsageError("--reference <file> is required");
  if (options.current === "") throw new UsageError("--current <file> is required");
  const both = options.numerical.filter((name) => options.categorical.includes(name));
  if (both.length > 0) throw new UsageError(`column "${both[0]}" is given as both numerical and categorical`);
  const twice = options.embeddings.find((name) => options.numerical.includes(name) || options.categorical.includes(name));
  if (twice !== undefined) throw new UsageError(`column "${twice}" is given as an embedding and as a ${options.numerical.includes(twice) ? "numerical" : "categorical"} column`);
  return options;
}

function applyOption(options: DriftOptions, flag: string, value: string): void {
  switch (flag) {
    case "--reference":
    case "--current":
      if (value === "") throw new UsageError(`${flag} needs a file name`);
      if (flag === "--reference") options.reference = value;
      else options.current = value;
      return;
    case "--numerical":
      options.numerical = addNames(options.numerical, splitList(flag, value));
      return;
    case "--categorical":
      options.categorical = addNames(options.categorical, splitList(flag, value));
      return;
    case "--test": {
      const ids = splitList(flag, value);
      options.tests = ids.includes("all") || options.tests === "all" ? "all" : addNames(options.tests ?? [], ids);
      return;
    }
    case "--threshold":
      options.threshold = parseThreshold(value);
      return;
    case "--html":
      if (value === "") throw new UsageError("--html needs a file name");
      options.html = value;
      return;
    case "--embedding":
      options.embeddings = addNames(options.embeddings, splitList(flag, value));
      return;
    case "--embedding-method":
      if (!(EMBEDDING_METHODS as readonly string[]).includes(value)) throw new UsageError(`--embedding-method must be one of ${EMBEDDING_METHODS.join(", ")}, got "${value}"`);
      options.embeddingMethod = value as EmbeddingMethod;
      return;
    default:
      throw new UsageError(`unknown option ${flag}`);
  }
}

/** Splits "a,b" into names; an empty name ("a,,b") is a mistake worth reporting. */
function splitList(flag: string, value: string): string[] {
  const names = value.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new UsageError(`${flag} needs a comma-separated list without empty names: "${value}"`);
  }
  return names;
}

function addNames(existing: string[], names: readonly string[]): string[] {
  const result = [...existing];
  for (const name of names) if (!result.includes(name)) result.push(name);
  return result;
}

function parseThreshold(value: string): number {
  const threshold = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(threshold) || threshold < 0) {
    throw new UsageError(`--threshold must be a finite number >= 0, got "${value}"`);
  }
  return threshold;
}

function suggestion(flag: string): string {
  const close = DRIFT_FLAGS.find((known) => known.startsWith(flag) || flag.startsWith(known));
  return close === undefined ? "" : `; did you mean ${close}?`;
}

export const VIGIL_HELP = `vigil: edge-native ML model monitoring, command-line tools

Usage:
  vigil drift --reference <file> --current <file> [options]
  vigil import sagemaker-capture <file.jsonl | folder>... [options]

Commands:
  drift    compare a current dataset with a reference dataset, column by column
  import   send SageMaker Data Capture files (and ground truth) to a running Vigil

Run "vigil drift --help" or "vigil import --help" for their options.
`;

export const DRIFT_HELP = `Usage:
  vigil drift --reference <file> --current <file>   (or: vigil drift <reference> <current>)
              [--numerical a,b] [--categorical c,d]
              [--test <id>[,<id>...]|all] [--threshold <x>] [--json]
              [--multivariate] [--embedding e[,f]] [--embedding-method m] [--html <file>]

Compares every column the two files share (or exactly the columns given) with the
drift tests Evidently uses, and reports per-column and dataset drift.

Files:     .csv (header row), .jsonl / .ndjson (JSON Lines), .json (array of
           objects), .parquet. Empty CSV fields and NA/NaN/null are missing.

Options:
  --reference <file>   the baseline data
  --current <file>     the data to check for drift
  --numerical a,b      judge these columns as numerical
  --categorical c,d    judge these columns as categorical
                       (with either option only the listed columns are judged;
                       without them, kinds are inferred: numbers are numerical)
  --test <ids>|all     extra tests besides each column's default: ks, wasserstein,
                       psi, kl_div, jensenshannon, hellinger, anderson,
                       cramer_von_mises, mannw, ed, t_test, es, chisquare, z,
                       g_test, TVD, fisher_exact; "all" runs every applicable one
  --threshold <x>      use this threshold for every test instead of its default
  --json               print one JSON object instead of a table
  --html <file>        also write the report as one self-contained HTML file
                       (tables and a reference/current plot per column)
  --multivariate       also judge the columns together: a domain classifier's
                       cross-validated AUC (which features drift together) and
                       the PCA data reconstruction error, as "multivariate"
  --embedding e,f      columns holding one vector per row (JSON arrays, e.g.
                       "[0.1, 0.2]"), judged as embeddings instead of per column
  --embedding-method m model (default: a domain classifier's AUC), distance
                       (between mean vectors, bootstrap threshold), ratio (share
                       of drifted components) or mmd (permutation test)
  --help               show this help

Exit status: 0 whether or not drift is found; 2 on bad input (missing file,
unknown column or test, empty column, malformed row), with one line on stderr.
`;
