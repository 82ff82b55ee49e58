// The committed kernel (stats/io/csv-kernel-wasm.ts) must be what its source compiles to:
// an edit to wasm/csv-kernel.ts without `npm run build:wasm`, or a hand edit of the
// generated module, fails here instead of shipping a binary nobody can rebuild.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CSV_KERNEL_WASM } from "../../stats/io/csv-kernel-wasm.ts";
import { compileKernel, KERNEL_MODULE, kernelModuleText } from "./csv-kernel-build.ts";

describe("csv-kernel-build", () => {
  it("compiles wasm/csv-kernel.ts to exactly the committed bytes and module text", async () => {
    const compiled = await compileKernel();
    const committed = Uint8Array.from(Buffer.from(CSV_KERNEL_WASM, "base64"));
    expect(committed.length).toBeGreaterThan(0);
    // Compared as base64 so that a mismatch prints readably rather than byte by byte.
    expect(Buffer.from(compiled).toString("base64")).toBe(Buffer.from(committed).toString("base64"));
    expect(kernelModuleText(compiled)).toBe(readFileSync(KERNEL_MODULE, "utf8"));
    // And it is a WebAssembly module this host accepts.
    expect(WebAssembly.validate(Uint8Array.from(compiled))).toBe(true);
  }, 60_000);
});
