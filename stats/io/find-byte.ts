// Finding the next quote or line feed is, after typing cells, most of what the CSV reader
// (csv.ts) and the cut finder (csv-split.ts) do: a file without quotes is searched once
// for a quote from end to end. V8's Uint8Array.prototype.indexOf compares byte by byte
// (about 1.5 GB/s on the benchmark machine), where Node's Buffer.prototype.indexOf calls
// memchr (about 20 GB/s): 100 ms against 7 ms on a 147 MB file. This module stays free of
// Node APIs, so the search is a parameter: the typed-array one by default, and a host that
// has a faster one passes it (the CLI: cli/node-find-byte.ts).

/** The index of the first `byte` in `bytes` at or after `from`, or -1 (Uint8Array.prototype.indexOf's contract). */
export type FindByte = (bytes: Uint8Array, byte: number, from: number) => number;

export const findByteInArray: FindByte = (bytes, byte, from) => bytes.indexOf(byte, from);
