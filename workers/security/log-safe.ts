// What the Worker may write to its log about a failure. Logs leave the tenant boundary
// (wrangler's log file, Cloudflare's log stream, whoever reads them), so they carry no
// request body, query string, credential or stored value:
// - describeError() keeps an error's class, its code (Postgres SQLSTATE), the names of the
//   table, column and constraint, and a message with parameters stripped: drizzle's
//   "Failed query: …\nparams: …" keeps the statement and drops the parameters (a channel
//   secret, a password hash), and a Postgres message's trailing `: "value"` is masked.
//   Errors carry their causes, so the chain is described, each link the same way.
// - redactSecrets() is applied to everything on top, so a credential that reaches a message
//   some other way (a library that quotes a URL or a header) is still masked.
// Decisions: a pattern list errs towards hiding (any long random-looking word goes); the
// stack keeps its frames (code locations) but never its first line, which repeats the message.

import { redactSecrets } from "./redact.ts";

export { redactSecrets };

const MAX_MESSAGE = 300;
const MAX_FRAMES = 5;
const MAX_CAUSES = 4;

/** Drizzle's query error: "Failed query: <sql>\nparams: <values>"; the values never leave. */
function withoutParameters(message: string): string {
  const at = message.indexOf("\nparams:");
  if (at === -1) return message;
  return `${message.slice(0, at)} [parameters withheld]`;
}

/** Postgres reports the offending value last, quoted (`invalid input syntax for type uuid: "…"`). */
function withoutQuotedValue(message: string): string {
  return message.replace(/: "(?:[^"\\]|\\.)*"\s*$/s, ': "[value withheld]"').replace(/: '(?:[^'\\]|\\.)*'\s*$/s, ": '[value withheld]'");
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  stack?: unknown;
  cause?: unknown;
}

function describeOne(err: unknown): string {
  if (typeof err !== "object" || err === null) return `non-error value (${typeof err})`;
  const e = err as ErrorLike;
  // The class says more than `name` (drizzle's errors are named "Error", pg's "error").
  const cls = err.constructor?.name;
  const name = cls && cls !== "Error" && cls !== "Object" ? cls : typeof e.name === "string" && e.name ? e.name : "Error";
  const tags = (["code", "table", "column", "constraint"] as const)
    .filter((k) => typeof e[k] === "string" || typeof e[k] === "number")
    .map((k) => `${k}=${String(e[k]).slice(0, 64)}`);
  const message = typeof e.message === "string" ? clip(withoutQuotedValue(withoutParameters(e.message)), MAX_MESSAGE) : "";
  return `${name}${tags.length ? ` [${tags.join(" ")}]` : ""}${message ? `: ${message.replace(/\s*\n\s*/g, " ")}` : ""}`;
}

function frames(err: unknown): string {
  const stack = (err as ErrorLike | null)?.stack;
  if (typeof stack !== "string") return "";
  const lines = stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, MAX_FRAMES);
  return lines.length ? `\n${lines.join("\n")}` : "";
}

/**
 * A description of `err` safe to log: class, code and parameter-free message of it and
 * each of its causes, then its first stack frames, all passed through redactSecrets.
 */
export function describeError(err: unknown): string {
  const links: string[] = [];
  let current: unknown = err;
  for (let i = 0; i < MAX_CAUSES && current !== undefined && current !== null; i++) {
    links.push(describeOne(current));
    current = (current as ErrorLike).cause;
  }
  return redactSecrets(links.join(" ← caused by ") + frames(err));
}

/** Logs `context` and the sanitized error; use instead of console.error(…, err). */
export function logError(context: string, err?: unknown): void {
  console.error(err === undefined ? redactSecrets(context) : `${redactSecrets(context)}: ${describeError(err)}`);
}
