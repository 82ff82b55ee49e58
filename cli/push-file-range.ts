// Feeds bytes [start, end) of a file to a CSV reader in 4 MiB chunks, one buffer reused: the
// reader copies what it keeps. Used by the drift worker for its row slice and for whole files,
// and by the CSV read bench.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Pushes bytes `start` up to `end` (default: the end of the file) of `path` into `reader`. */
export function pushFileRange(reader: { pushBytes(bytes: Uint8Array): void }, path: string, start = 0, end = Number.POSITIVE_INFINITY): void {
  if (end <= start) return;
  const descriptor = openSync(path, "r");
  try {
    const buffer = new Uint8Array(Math.min(CHUNK_BYTES, end - start));
    for (let position = start; position < end; ) {
      const bytesRead = readSync(descriptor, buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) break;
      reader.pushBytes(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    closeSync(descriptor);
  }
}
