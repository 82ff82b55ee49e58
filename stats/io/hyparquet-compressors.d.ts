// Types for the pure-JavaScript decoders of hyparquet-compressors, imported by path
// (parquet-codecs.ts says why not from the package root). The package ships types only
// for its root module.

declare module "hyparquet-compressors/src/gzip.js" {
  /** Inflates one or more back-to-back gzip members (RFC 1952) into `output`. */
  export function gunzip(input: Uint8Array, output?: Uint8Array): Uint8Array;
}

declare module "hyparquet-compressors/src/brotli.js" {
  export function decompressBrotli(input: Uint8Array, outputLength: number): Uint8Array;
}

declare module "hyparquet-compressors/src/lz4.js" {
  /** The deprecated Hadoop-framed LZ4 codec (Parquet's LZ4), with a raw-block fallback. */
  export function decompressLz4(input: Uint8Array, outputLength: number): Uint8Array;
  /** One LZ4 block, no framing (Parquet's LZ4_RAW). */
  export function decompressLz4Raw(input: Uint8Array, outputLength: number): Uint8Array;
}
