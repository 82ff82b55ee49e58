// Reads a dataset file from disk with the pure readers in stats/io. CSV (as bytes) and
// JSON Lines are streamed in chunks, so a file does not have to fit in one JavaScript string;
// Parquet is read by byte ranges, only the wanted columns' chunks.

import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { CsvReader } from "../stats/io/csv.ts";
import { DatasetError, formatFromPath, SUPPORTED_EXTENSIONS } from "../stats/io/dataset.ts";
import type { Dataset, ReadOptions } from "../stats/io/dataset.ts";
import { parseJsonArray } from "../stats/io/json-array.ts";
import { JsonLinesReader } from "../stats/io/jsonl.ts";
import { CliError } from "./cli-error.ts";
import { nodeFindByte } from "./node-find-byte.ts";
import { progressReporter } from "./progress.ts";

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Loads `path`, keeping only `columns` when given; every failure is a CliError whose
 * message starts with the path.
 */
export async function loadDataset(
  path: string,
  writeProgress: (line: string) => void,
  columns?: readonly string[],
): Promise<Dataset> {
  const format = formatFromPath(path);
  if (format === undefined) {
    throw new CliError(`${path}: unknown file type; expected one of ${SUPPORTED_EXTENSIONS.join(", ")}`);
  }
  await checkReadable(path);
  const progress = progressReporter(basename(path), writeProgress);
  const options: ReadOptions = { onProgress: (cells: number) => progress.update(cells) };
  if (columns !== undefined) options.columns = columns;
  let dataset: Dataset;
  try {
    switch (format) {
      case "csv":
        dataset = await streamBytes(path, new CsvReader({ ...options, findByte: nodeFindByte }));
        break;
      case "jsonl":
        dataset = await streamText(path, new JsonLinesReader(options));
        break;
      case "json":
        dataset = parseJsonArray(await readFile(path, "utf8"), options);
        break;
      case "parquet":
        dataset = await readParquetFile(path, options);
        break;
    }
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`${path}: ${error.message}`);
    if (isNodeError(error) && (error.code === "ERR_STRING_TOO_LONG" || error.code === "ERR_FS_FILE_TOO_LARGE")) {
      const hint = format === "json" ? "; write it as JSON Lines (.jsonl), which is streamed" : "";
      throw new CliError(`${path}: too large to read at once (${error.code})${hint}`);
    }
    if (isNodeError(error)) throw new CliError(`${path}: cannot read (${error.code})`);
    throw error;
  }
  progress.done();
  return dataset;
}

interface ChunkReader {
  push(chunk: string): void;
  finish(): Dataset;
}

/** A Parquet file, read with the CLI's codecs; their modules load only for Parquet input. */
async function readParquetFile(path: string, options: ReadOptions): Promise<Dataset> {
  const [{ readParquet }, { CLI_DECOMPRESSORS }, { withParquetFile }] = await Promise.all([
    import("../stats/io/parquet.ts"),
    import("./parquet-decompressors.ts"),
    import("./parquet-file.ts"),
  ]);
  return withParquetFile(path, (file) => readParquet(file, { ...options, compressors: CLI_DECOMPRESSORS }));
}

/** The CSV reader decodes only what it must (labels), so it takes the bytes. */
async function streamBytes(path: string, reader: { pushBytes(chunk: Uint8Array): void; finish(): Dataset }): Promise<Dataset> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) {
      // A plain Uint8Array view, so the reader's hot loops see one array type, not Buffer too.
      const buffer = chunk as Buffer;
      reader.pushBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    }
  } finally {
    stream.destroy();
  }
  return reader.finish();
}

async function streamText(path: string, reader: ChunkReader): Promise<Dataset> {
  // setEncoding makes the stream keep multi-byte characters whole across chunks.
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  stream.setEncoding("utf8");
  try {
    for await (const chunk of stream) reader.push(chunk as string);
  } finally {
    stream.destroy();
  }
  return reader.finish();
}

async function checkReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${path}: is a directory, not a file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (isNodeError(error) && error.code === "ENOENT") throw new CliError(`${path}: file not found`);
    if (isNodeError(error)) throw new CliError(`${path}: cannot read (${error.code})`);
    throw error;
  }
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
