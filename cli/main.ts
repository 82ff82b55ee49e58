// Entry point of the `vigil` CLI: `npm run -s vigil -- drift ...`, or the bin shim
// cli/bin/vigil.mjs. Exit codes are documented in cli.ts.

import { main } from "./cli.ts";
import type { Output } from "./drift-command.ts";

const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

// Set the exit code instead of calling process.exit, so piped stdout is fully flushed.
process.exitCode = await main(process.argv.slice(2), processOutput);
