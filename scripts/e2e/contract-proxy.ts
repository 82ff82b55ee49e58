// Stoplight Prism (npm @stoplight/prism-cli) as a validating proxy in front of a running
// stack: every request an e2e test sends through it, and every response the stack gives,
// is checked against the stack's own /openapi.json, so the document cannot drift from
// what the server does. Prism forwards everything (it runs without --errors, so it never
// answers in the server's place) and reports what breaks the contract in each response's
// `sl-violations` header; this helper collects those per request. Prism reads only the
// document file and the loopback upstream: it needs no network.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup, waitForLine } from "../lib/processes.ts";

const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");

export interface Violation {
  /** "POST /v1/ingest" */
  request: string;
  /** Where: ["request", "body", "events"] or ["response", "body", …]. */
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface ContractProxy {
  /** Prism's base URL; send API calls here instead of the stack's. */
  base: string;
  /** Violations of requests sent with `fetch` that did not expect any, oldest first. */
  violations: Violation[];
  /**
   * fetch(base + path, init). Violations go to `violations`, unless the call says it
   * breaks the contract on purpose (`expectViolations`); then they are only returned.
   */
  fetch(path: string, init?: RequestInit, options?: { expectViolations?: boolean }): Promise<Response & { violations: Violation[] }>;
  /** Returns the collected violations and forgets them (for an afterEach check). */
  takeViolations(): Violation[];
  close(): Promise<void>;
}

/** The violations Prism reported in one response. */
export function violationsOf(res: Response, request: string): Violation[] {
  const header = res.headers.get("sl-violations");
  if (!header) return [];
  if (!header.startsWith("[")) return [{ request, location: [], severity: "Error", code: "truncated", message: header.slice(0, 2_000) }];
  return (JSON.parse(header) as Omit<Violation, "request">[]).map((v) => ({ request, ...v }));
}

/** Fetches the stack's document and starts Prism in front of the stack. */
export async function startContractProxy(upstream: string): Promise<ContractProxy> {
  const res = await fetch(`${upstream}/openapi.json`);
  if (!res.ok) throw new Error(`GET ${upstream}/openapi.json: ${res.status}`);
  const dir = mkdtempSync(join(tmpdir(), "vigil-contract-"));
  const document = join(dir, "openapi.json");
  writeFileSync(document, await res.text());
  const port = await freePort();
  const prism = spawnGroup("prism", process.execPath, [prismCli, "proxy", document, upstream, "--host", "127.0.0.1", "--port", String(port), "--errors", "false"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  prism.child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  prism.child.stdout?.resume();
  const close = async () => {
    await stopGroup(prism, 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForLine(prism, /Prism is listening on/, 60_000);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const base = `http://127.0.0.1:${port}`;
  const violations: Violation[] = [];
  return {
    base,
    violations,
    async fetch(path, init = {}, options = {}) {
      const response = await fetch(`${base}${path}`, init);
      const found = violationsOf(response, `${(init.method ?? "GET").toUpperCase()} ${path.split("?")[0]}`);
      if (!options.expectViolations) violations.push(...found);
      return Object.assign(response, { violations: found });
    },
    takeViolations: () => violations.splice(0),
    close,
  };
}
