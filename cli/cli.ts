// The `vigil` CLI as a function of its arguments, so tests can run it in-process.
// Exit status: 0 on success, whether or not drift was found;
// 2 on bad input, with exactly one line on stderr; 1 on an unexpected failure.

import { DRIFT_HELP, parseCommandLine, UsageError, VIGIL_HELP } from "./args.ts";
import { BAD_INPUT_EXIT, CliError } from "./cli-error.ts";
import type { Output } from "./drift-command.ts";
import { IMPORT_HELP } from "./import/args.ts";

// Each command's modules load when it runs: `vigil drift` need not load the import
// command's HTTP client (TypeScript that Node type-strips on every start, ~35 ms).

export async function main(argv: readonly string[], output: Output): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    if (command.name === "help") {
      if (argv.length === 0) {
        // Bad input gets one line on stderr, like every other usage error.
        output.stderr("vigil: no command; usage: vigil drift --reference <file> --current <file> [options] (see vigil --help)\n");
        return BAD_INPUT_EXIT;
      }
      output.stdout(command.topic === "drift" ? DRIFT_HELP : VIGIL_HELP);
      return 0;
    }
    if (command.name === "help-import") {
      output.stdout(IMPORT_HELP);
      return 0;
    }
    if (command.name === "import-sagemaker") {
      const { runSagemakerImport } = await import("./import/sagemaker-command.ts");
      await runSagemakerImport(command.options, output);
      return 0;
    }
    const { runDrift } = await import("./drift-command.ts");
    await runDrift(command.options, output);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliError) {
      output.stderr(`vigil: ${oneLine(error.message)}\n`);
      return BAD_INPUT_EXIT;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.stderr(`vigil: unexpected error: ${detail}\n`);
    return 1;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, " ");
}
