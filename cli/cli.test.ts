// main() in-process: exit codes and the one-line error contract, without spawning.
import { describe, it, expect } from "vitest";
import { main } from "./cli.ts";

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe("main", () => {
  it("prints help on --help with status 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("vigil drift --reference <file> --current <file>");
    expect(result.stderr).toBe("");
  });

  it.each([
    [[], "vigil: no command; usage: vigil drift --reference <file> --current <file> [options] (see vigil --help)\n"],
    [["drift"], "vigil: --reference <file> is required\n"],
    [["drfit"], 'vigil: unknown command "drfit"; the commands are "drift" and "import" (see vigil --help)\n'],
    [["drift", "--reference", "a.csv", "--current", "b.csv", "--test", "nope"], expect.stringMatching(/^vigil: unknown test "nope"; valid tests: ks, /)],
  ])("exits 2 with one line for %j", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toEqual(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
