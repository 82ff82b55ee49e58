// Plans how several worker threads share the reading of one CSV file: its header names
// (which slices after the first need, having no header row; and which columns two files
// share, so that the others are never typed) and byte ranges that each start where a
// record starts (stats/io/csv-split.ts follows quoted fields from the file's start, so a
// cut never falls inside one, line breaks and all).

import { open } from "node:fs/promises";
import { parseCsv } from "../stats/io/csv.ts";
import { CsvCutFinder } from "../stats/io/csv-split.ts";
import { nodeFindByte } from "./node-find-byte.ts";

const CHUNK_BYTES = 4 * 1024 * 1024;
const HEADER_PROBE_BYTES = 1 << 20;

/** A byte range [start, end) of a file. */
export interface Slice {
  start: number;
  end: number;
}

/**
 * `count` slices of about equal size, in file order, covering the file; each starts where
 * a record starts (the first right at the header). Some may be empty.
 */
export async function cutCsvFile(path: string, count: number): Promise<Slice[]> {
  const file = await open(path, "r");
  try {
    const size = (await file.stat()).size;
    const targets = Array.from({ length: count - 1 }, (_, index) => Math.floor(((index + 1) * size) / count));
    const finder = new CsvCutFinder(targets, nodeFindByte);
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (let position = 0; position < size && !finder.done; ) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      finder.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    // Targets past the last record boundary get empty slices at the end.
    const cuts = [...finder.cuts, ...targets.slice(finder.cuts.length).map(() => size)];
    const bounds = [0, ...cuts];
    return [...cuts, size].map((end, index) => ({ start: bounds[index] as number, end }));
  } finally {
    await file.close();
  }
}

/**
 * The header row's names, or undefined when it is not a plain first line (a quoted name
 * spanning lines, or no line end in the first MiB): such files are read by one reader,
 * which reports any problem with them.
 */
export async function readCsvHeader(path: string): Promise<string[] | undefined> {
  try {
    const file = await open(path, "r");
    try {
      return await readHeader(file);
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * The columns two CSV files share, in the first file's order, read from their header rows;
 * undefined when either header is not a plain first line or they share none (then the
 * files are read whole, and the reader or the column selection reports the problem).
 */
export async function sharedCsvColumns(reference: string, current: string): Promise<string[] | undefined> {
  if (![reference, current].every((path) => path.toLowerCase().endsWith(".csv"))) return undefined;
  const [first, second] = await Promise.all([readCsvHeader(reference), readCsvHeader(current)]);
  if (first === undefined || second === undefined) return undefined;
  const shared = first.filter((name) => second.includes(name));
  return shared.length > 0 ? shared : undefined;
}

async function readHeader(file: Awaited<ReturnType<typeof open>>): Promise<string[] | undefined> {
  const buffer = new Uint8Array(HEADER_PROBE_BYTES);
  const { bytesRead } = await file.read(buffer, 0, HEADER_PROBE_BYTES, 0);
  const text = new TextDecoder().decode(buffer.subarray(0, bytesRead));
  const end = text.search(/[\r\n]/);
  if (end < 0) return undefined;
  const line = text.slice(0, end);
  // A quoted header field may span lines; leave such files to the normal reader.
  if (line.split('"').length % 2 === 0) return undefined;
  try {
    return parseCsv(`${line}\n`).columns;
  } catch {
    return undefined;
  }
}
