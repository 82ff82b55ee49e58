// `npm run typecheck`: the three strict TypeScript programs (stats+cli+scripts, workers+durable,
// web), each with its own lib, checked by TypeScript 7 (the native compiler, npm alias
// `typescript-native`): 14 s for all three here against 84 s with TypeScript 5.9, which
// scripts/typecheck.test.ts runs inside `npm test`. TypeScript 5.9 stays installed as
// `typescript` because Stryker's TypeScript checker uses its compiler API, which 7.0 does not
// ship; `npm run typecheck:ts5` checks the same programs with it.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";

export const PROGRAMS = ["tsconfig.json", "tsconfig.worker.json", "web/tsconfig.json"] as const;
export type Compiler = "typescript-native" | "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** The compiler's output for one program (empty when it compiles cleanly). */
export async function checkProgram(config: string, compiler: Compiler = "typescript-native"): Promise<string> {
  const tsc = fileURLToPath(new URL(`../node_modules/${compiler}/bin/tsc`, import.meta.url));
  return run(process.execPath, [tsc, "-p", config, "--noEmit", "--pretty", "false"], { cwd: root, maxBuffer: 16 << 20 }).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout || String(err),
  );
}

/** The lines that report a type error. */
export function typeErrors(output: string): string[] {
  return output.split("\n").filter((l) => l.includes("error TS"));
}

async function main() {
  const { values } = parseArgs({ options: { compiler: { type: "string", default: "typescript-native" } } });
  const compiler = values.compiler as Compiler;
  if (compiler !== "typescript-native" && compiler !== "typescript") throw new Error(`--compiler: typescript-native or typescript, not ${compiler}`);
  let failed = false;
  for (const config of PROGRAMS) {
    const output = await checkProgram(config, compiler);
    if (output.trim()) process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
    if (typeErrors(output).length > 0 || /error/i.test(output)) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
