// `vigil import sagemaker-capture …`: argument parsing and help. Only the shape of the
// arguments is checked here; files, the key and Vigil's answers are checked when used.
import { UsageError } from "../usage-error.ts";

export interface SagemakerImportOptions {
  /** Capture files (.jsonl) or folders holding them (searched recursively). */
  paths: string[];
  /** Default: the endpoint and variant names of a Data Capture path (…/<endpoint>/<variant>/yyyy/mm/dd/hh/file.jsonl). */
  model: string | undefined;
  version: string | undefined;
  /** Names for CSV input columns, in order (default f0, f1, …). */
  columns: string[];
  /** Ground-truth files or folders, sent as actuals after the captures. */
  groundTruth: string[];
  url: string | undefined;
  key: string | undefined;
  batchSize: number;
}

export type ImportCommand = { name: "help-import" } | { name: "import-sagemaker"; options: SagemakerImportOptions };

const FLAGS = ["--model", "--version", "--columns", "--ground-truth", "--url", "--key", "--batch-size"];

export const IMPORT_HELP = `Usage:
  vigil import sagemaker-capture <file.jsonl | folder>... [--ground-truth <file | folder>]...
              [--model <name>] [--version <name>] [--columns a,b,c]
              [--url <vigil url>] [--key <api key>] [--batch-size <n>]

Sends SageMaker Data Capture records (captureData.endpointInput / endpointOutput, CSV,
JSON or BASE64 encoded) to Vigil as prediction events, one per input row, with their
eventMetadata ids (inferenceId when present, else eventId) as prediction ids and their
inferenceTime as timestamps; then Model Monitor ground-truth records as actuals.
Batches get ids derived from their contents: importing the same files twice counts nothing twice.

Options:
  --model, --version   the model version (default: <endpoint> and <variant> from a
                       Data Capture path .../<endpoint>/<variant>/yyyy/mm/dd/hh/file.jsonl)
  --columns a,b,c      names for CSV input columns (default f0, f1, ...)
  --ground-truth p     ground-truth JSON Lines (groundTruthData, eventMetadata.eventId)
  --url u              Vigil's URL (default $VIGIL_URL, else http://127.0.0.1:8787)
  --key k              an API key with the ingest scope (write to register the version)
                       (default $VIGIL_API_KEY, else .data/admin-key)
  --batch-size n       events per request (default 1000, at most 10000)
`;

export function parseImportCommand(argv: readonly string[]): ImportCommand {
  const [source, ...rest] = argv;
  if (source === undefined || source === "--help" || source === "-h" || rest.includes("--help") || rest.includes("-h")) return { name: "help-import" };
  if (source !== "sagemaker-capture") throw new UsageError(`unknown import source "${source}"; the only one is "sagemaker-capture" (see vigil import --help)`);
  const options: SagemakerImportOptions = { paths: [], model: undefined, version: undefined, columns: [], groundTruth: [], url: undefined, key: undefined, batchSize: 1_000 };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      options.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (!FLAGS.includes(flag)) throw new UsageError(`unknown option ${flag} (see vigil import --help)`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      value = next;
      i++;
    }
    if (value === "") throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case "--model":
        options.model = value;
        break;
      case "--version":
        options.version = value;
        break;
      case "--columns":
        options.columns = value.split(",").map((c) => c.trim());
        if (options.columns.some((c) => c === "")) throw new UsageError(`--columns needs a comma-separated list without empty names: "${value}"`);
        break;
      case "--ground-truth":
        options.groundTruth.push(value);
        break;
      case "--url":
        if (!/^https?:\/\//.test(value)) throw new UsageError(`--url must be an http(s) URL, got "${value}"`);
        options.url = value;
        break;
      case "--key":
        options.key = value;
        break;
      case "--batch-size": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`--batch-size must be an integer from 1 to 10000, got "${value}"`);
        options.batchSize = n;
        break;
      }
    }
  }
  if (options.paths.length === 0) throw new UsageError("give at least one capture file or folder: vigil import sagemaker-capture <file.jsonl | folder>");
  return { name: "import-sagemaker", options };
}
