// `vigil import sagemaker-capture`: reads Data Capture files line by line, turns each
// record into events (capture-records.ts) and sends them through the TypeScript SDK
// (@vigil/client) in batches whose ids are a hash of their model version and prediction
// ids, so re-running an import, or resuming one that stopped halfway, stores nothing twice.
// Then the ground-truth files, as actuals. A line that is not a record stops the import
// naming file and line (exit 2); so does a batch Vigil refuses, with Vigil's own message.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { Vigil, VigilError } from "@vigil/client";
import { CliError } from "../cli-error.ts";
import type { Output } from "../drift-command.ts";
import type { SagemakerImportOptions } from "./args.ts";
import { captureEvents, groundTruthActuals, type CaptureEvent, type GroundTruthActual } from "./capture-records.ts";

export interface ImportSummary {
  files: number;
  records: number;
  events: number;
  stored: number;
  duplicateBatches: number;
  rejected: number;
  actuals: number;
  matched: number;
  unmatched: number;
  alreadyLabeled: number;
}

/** Every .jsonl file under the paths, in a stable order. */
export function captureFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) throw new CliError(`${p}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const child = join(p, name);
        if (statSync(child).isDirectory() || /\.jsonl$/i.test(name)) walk(child);
      }
    } else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

/** <endpoint> and <variant> of a Data Capture path …/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl, or null. */
export function endpointOfPath(file: string): { model: string; version: string } | null {
  const parts = dirname(resolve(file)).split(sep);
  const [hh, dd, mm, yyyy] = [parts.at(-1), parts.at(-2), parts.at(-3), parts.at(-4)];
  if (!/^\d{4}$/.test(yyyy ?? "") || ![mm, dd, hh].every((p) => /^\d{2}$/.test(p ?? ""))) return null;
  const variant = parts.at(-5);
  const endpoint = parts.at(-6);
  return endpoint && variant ? { model: endpoint, version: variant } : null;
}

function apiKey(options: SagemakerImportOptions, env: NodeJS.ProcessEnv): string {
  if (options.key) return options.key;
  if (env.VIGIL_API_KEY) return env.VIGIL_API_KEY;
  const file = join(env.VIGIL_DATA_DIR ?? ".data", "admin-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  throw new CliError("no API key: pass --key, set VIGIL_API_KEY, or run from a folder where npm start wrote .data/admin-key");
}

async function* jsonLines(file: string): AsyncGenerator<{ value: unknown; where: string }> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    const where = `${basename(file)}:${n}`;
    try {
      yield { value: JSON.parse(line), where };
    } catch (error) {
      throw new CliError(`${where}: not valid JSON: ${(error as Error).message}`);
    }
  }
}

const stableId = (model: string, version: string, ids: readonly string[]) =>
  `sagemaker:${createHash("sha256").update(`${model}\u0000${version}\u0000${ids.join("\n")}`).digest("hex").slice(0, 40)}`;

function refused(what: string, error: unknown): never {
  if (error instanceof VigilError) throw new CliError(`Vigil refused ${what}: ${error.status || "no response"} ${error.code}: ${error.message}`);
  throw error;
}

export async function runSagemakerImport(options: SagemakerImportOptions, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<ImportSummary> {
  const files = captureFiles(options.paths);
  const truthFiles = captureFiles(options.groundTruth);
  const target = (file: string) => {
    const fromPath = endpointOfPath(file);
    const model = options.model ?? fromPath?.model;
    const version = options.version ?? fromPath?.version;
    if (!model || !version) throw new CliError(`${file}: give --model and --version (the path is not a Data Capture path .../<endpoint>/<variant>/yyyy/mm/dd/hh/file.jsonl)`);
    return { model, version };
  };
  const vigil = new Vigil({ url: options.url ?? env.VIGIL_URL ?? "http://127.0.0.1:8787", apiKey: apiKey(options, env), flushOnExit: false });
  const summary: ImportSummary = { files: files.length, records: 0, events: 0, stored: 0, duplicateBatches: 0, rejected: 0, actuals: 0, matched: 0, unmatched: 0, alreadyLabeled: 0 };
  try {
    for (const file of files) {
      const { model, version } = target(file);
      let batch: CaptureEvent[] = [];
      const send = async () => {
        if (batch.length === 0) return;
        const ids = batch.map((e) => e.prediction_id);
        const reply = await vigil.sendBatch({ model, version, batch_id: stableId(model, version, ids), events: batch }).catch((e: unknown) => refused(`a batch of ${basename(file)}`, e));
        summary.stored += reply.duplicate ? 0 : reply.accepted;
        summary.duplicateBatches += reply.duplicate ? 1 : 0;
        summary.rejected += reply.rejected_count;
        for (const r of reply.rejected.slice(0, 3)) output.stderr(`vigil: ${basename(file)}: event ${ids[r.index]} left out: ${r.field}: ${r.error}\n`);
        batch = [];
      };
      for await (const { value, where } of jsonLines(file)) {
        const events = captureEvents(value, options.columns, where);
        summary.records++;
        summary.events += events.length;
        batch.push(...events);
        if (batch.length >= options.batchSize) await send();
      }
      await send();
    }
    for (const file of truthFiles) {
      const { model, version } = target(file);
      let batch: GroundTruthActual[] = [];
      const send = async () => {
        if (batch.length === 0) return;
        const reply = await vigil.sendActuals({ model, version, actuals: batch }).catch((e: unknown) => refused(`ground truth of ${basename(file)}`, e));
        summary.matched += reply.matched;
        summary.unmatched += reply.unmatched;
        summary.alreadyLabeled += reply.already_labeled;
        batch = [];
      };
      for await (const { value, where } of jsonLines(file)) {
        const actuals = groundTruthActuals(value, where);
        summary.actuals += actuals.length;
        batch.push(...actuals);
        if (batch.length >= options.batchSize) await send();
      }
      await send();
    }
  } finally {
    await vigil.close({ timeoutMs: 1_000 });
  }
  output.stdout(
    `${summary.records} capture records in ${summary.files} files: ${summary.events} events, ${summary.stored} stored, ` +
      `${summary.duplicateBatches} batches already imported, ${summary.rejected} rejected\n`,
  );
  if (truthFiles.length > 0) {
    output.stdout(`${summary.actuals} ground-truth labels in ${truthFiles.length} files: ${summary.matched} matched, ${summary.unmatched} unmatched, ${summary.alreadyLabeled} already labeled\n`);
  }
  return summary;
}
