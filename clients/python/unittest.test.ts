// The Python client's own suite under the machine's python3 (stdlib only, no pandas, no
// running Vigil): its unit tests must pass, and only the pandas and end-to-end cases may
// skip. clients/senders.e2e.test.ts runs the whole suite, those cases included, against
// `npm start` with Debian's python3.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("python3 -m unittest passes with the standard library alone", () => {
  const env = { ...process.env };
  delete env.VIGIL_URL;
  delete env.VIGIL_API_KEY;
  const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], { cwd: fileURLToPath(new URL(".", import.meta.url)), env, encoding: "utf8", timeout: 120_000 });
  const out = `${run.stdout}${run.stderr}`;
  expect(out).toMatch(/^OK( \(skipped=\d+\))?$/m);
  const skipped = out.split("\n").filter((l) => / \.\.\. skipped /.test(l));
  for (const line of skipped) expect(line).toMatch(/pandas is not installed|VIGIL_URL and VIGIL_API_KEY name a running Vigil/);
  expect(out).toMatch(/test_a_retry_after_a_503_and_a_lost_reply_is_not_double_counted .* ok/);
  expect(run.status).toBe(0);
});
