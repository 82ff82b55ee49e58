// The part of node:zlib (nodejs_compat) that parquet-in-workerd.test.ts uses to write
// compressed Parquet pages inside workerd; the Worker's types do not declare node:zlib.
declare module "node:zlib" {
  export function gzipSync(input: Uint8Array): Uint8Array;
  export function brotliCompressSync(input: Uint8Array): Uint8Array;
  export const zstdCompressSync: ((input: Uint8Array) => Uint8Array) | undefined;
}
