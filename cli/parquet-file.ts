// A Parquet file on disk as hyparquet's AsyncBuffer: the reader asks for the footer and
// then for the byte range of each wanted column chunk, so columns that are not needed
// are never read from disk or held in memory.

import { open } from "node:fs/promises";
import type { RangeReader } from "../stats/io/parquet.ts";

/** Runs `use` with the file at `path` open for range reads; closes it afterwards. */
export async function withParquetFile<T>(path: string, use: (file: RangeReader) => Promise<T>): Promise<T> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const readInto = async (start: number, end: number, target: Uint8Array): Promise<Uint8Array> => {
      const bytes = target.subarray(0, Math.max(0, end - start));
      for (let done = 0; done < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) throw new Error(`the file ended at byte ${start + done}, before byte ${end} (was it changed while being read?)`);
        done += bytesRead;
      }
      return bytes;
    };
    const file: RangeReader = {
      byteLength: size,
      readInto,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        const bytes = await readInto(start, end, new Uint8Array(Math.max(0, end - start)));
        return bytes.buffer as ArrayBuffer;
      },
    };
    return await use(file);
  } finally {
    await handle.close();
  }
}
