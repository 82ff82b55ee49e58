#!/usr/bin/env node
// The `vigil` bin entry. The CLI is TypeScript run by Node's type stripping, which is
// on by default from Node 22.18 (and 23.6). On an older Node this re-runs itself under
// the project's own Node 22 (the `node` devDependency, node_modules/.bin/node), passing
// arguments and stdio through and exiting with the child's status. Either way it runs
// the start-up bundle when it can (bundle.mjs), the source otherwise.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundledMain } from "./bundle.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const entry = (await bundledMain(join(here, ".."))) ?? join(here, "..", "main.ts");

function stripsTypes(version) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

// The project's Node: node_modules/.bin/node in the nearest folder above the shim.
function projectNode() {
  const binary = process.platform === "win32" ? "node.cmd" : "node";
  for (let folder = here; ; folder = dirname(folder)) {
    const candidate = join(folder, "node_modules", ".bin", binary);
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

if (stripsTypes(process.versions.node)) {
  await import(pathToFileURL(entry).href);
} else {
  const node = projectNode();
  if (node === undefined) {
    process.stderr.write(
      `vigil: needs Node >= 22.18 (this is ${process.versions.node}) or the project's node devDependency (run npm install)\n`,
    );
    process.exit(2);
  }
  const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("error", (error) => {
    process.stderr.write(`vigil: could not start ${node}: ${error.message}\n`);
    process.exit(2);
  });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + (signal === "SIGINT" ? 2 : 15));
  });
}
