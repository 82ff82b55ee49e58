// Page decompressors for Parquet files read by the CLI. stats/io/parquet-codecs.ts has
// pure-JavaScript ones for every codec (so the reader runs in Workers too); under Node the
// CLI swaps in faster ones:
// - GZIP, BROTLI and ZSTD: Node's zlib (native zlib, brotli and zstd libraries). On the
//   1M × 20 benchmark file, ZSTD pages decode about 5× faster than with fzstd
//   (docs/benchmarks.md, "Parquet against CSV"). maxOutputLength is the size the page
//   header promises, so a page that inflates past it fails instead of filling memory.
// - SNAPPY: hyparquet-compressors' WebAssembly decoder (hysnappy), ~1.7× hyparquet's
//   JavaScript one. Compiling WebAssembly from bytes is fine in Node, not in Workers,
//   which is why only the CLI imports the package root.
// - LZ4 and LZ4_RAW: hyparquet-compressors' JavaScript decoders.

import * as zlib from "node:zlib";
import type { Compressors } from "hyparquet";
import { compressors as packaged } from "hyparquet-compressors";

const bounded = (length: number) => ({ maxOutputLength: Math.max(1, length) });

export const CLI_DECOMPRESSORS: Compressors = {
  ...packaged,
  GZIP: (input, length) => zlib.gunzipSync(input, bounded(length)),
  BROTLI: (input, length) => zlib.brotliDecompressSync(input, bounded(length)),
  // zstdDecompressSync is in Node from 22.15; older ones keep fzstd (stats/io).
  ...(typeof zlib.zstdDecompressSync === "function" ? { ZSTD: (input: Uint8Array, length: number) => zlib.zstdDecompressSync(input, bounded(length)) } : {}),
};
