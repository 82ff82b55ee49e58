// The CSV reader's byte search (stats/io/find-byte.ts) with Node's memchr-based
// Buffer.prototype.indexOf, called on the plain Uint8Array so no Buffer view is made per
// search. For a number and a non-negative offset it has Uint8Array.prototype.indexOf's
// contract (node-find-byte.test.ts checks it against it).

import type { FindByte } from "../stats/io/find-byte.ts";

const bufferIndexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: number, byteOffset: number) => number;

export const nodeFindByte: FindByte = (bytes, byte, from) => bufferIndexOf.call(bytes, byte, from);
