// The page decompressors the Parquet reader uses, and the codecs it cannot read.
//
// Parquet compresses each page's bytes with the column chunk's codec, "fed as-is to the
// underlying compression library, without any additional framing" (except the deprecated
// LZ4); the page header gives the uncompressed size. The codecs, from the format's
// Compression.md (https://parquet.apache.org/docs/file-format/data-pages/compression/):
// - SNAPPY: the Snappy block format. hyparquet decodes it itself (pure JavaScript);
// - GZIP: the gzip format of RFC 1952 (not zlib or raw deflate), possibly several
//   members back to back;
// - BROTLI: a Brotli stream (RFC 7932);
// - ZSTD: a Zstandard frame (RFC 8878);
// - LZ4_RAW: one LZ4 block, no frame; LZ4 (deprecated): Hadoop's framing around blocks;
// - LZO: no JavaScript decoder here; such files are refused, naming the codec.
//
// Decoders come from hyparquet-compressors (and fzstd, the Zstd decoder it wraps), by file
// path rather than from the package root: the root module also builds hysnappy's Snappy
// decoder, compiling WebAssembly from bytes when it is imported, which Cloudflare Workers
// forbid ("Wasm code generation disallowed by embedder"). So this module stays pure
// JavaScript and runs in Workers as in Node.

import type { CompressionCodec, Compressors } from "hyparquet";
import { decompressBrotli } from "hyparquet-compressors/src/brotli.js";
import { gunzip } from "hyparquet-compressors/src/gzip.js";
import { decompressLz4, decompressLz4Raw } from "hyparquet-compressors/src/lz4.js";
import { decompress as decompressZstd } from "fzstd";

/** Decompressors for every codec hyparquet does not decode itself (it does UNCOMPRESSED and SNAPPY). */
export const PARQUET_DECOMPRESSORS: Compressors = {
  GZIP: (input, length) => gunzip(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  ZSTD: (input, length) => decompressZstd(input, new Uint8Array(length)),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

const BUILT_IN: ReadonlySet<CompressionCodec> = new Set(["UNCOMPRESSED", "SNAPPY"]);

/** The codecs these decompressors (and hyparquet's own) read, for error messages. */
export function readableCodecs(compressors: Compressors): CompressionCodec[] {
  return [...BUILT_IN, ...(Object.keys(compressors) as CompressionCodec[]).filter((codec) => !BUILT_IN.has(codec))];
}

/** Whether pages compressed with `codec` can be read with `compressors`. */
export function canDecompress(codec: CompressionCodec, compressors: Compressors): boolean {
  return BUILT_IN.has(codec) || compressors[codec] !== undefined;
}
