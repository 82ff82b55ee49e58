// Text that cannot be stored: a NUL character (U+0000) or a lone UTF-16 surrogate.
// Postgres refuses both (NUL in text, `\u0000` and unpaired `\ud800` escapes in jsonb), and a
// lone surrogate turns into U+FFFD on its way to UTF-8, so a value would not come back as
// sent. Every /v1 input is screened for them once, at the shared entry points: the OpenAPI
// validation hook (JSON bodies, query, path; workers/validation.ts), the URL check for routes
// that read the URL themselves (workers/middleware/url-text.ts), and the hand-written batch
// parsers (workers/ingest/parse-body.ts, validate-actuals.ts).
//
// Decisions:
// - Object keys are text too (record keys, feature names), so they are checked like values.
// - The walk is iterative: JSON.parse accepts nesting deep enough to overflow a recursive one.
// - Fields are named by dotted path, the way zod names them, so a 400 reads the same either way.
import type { FieldIssue } from "../errors.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain a NUL character (U+0000)";
  if (LONE_SURROGATE.test(s)) return "must not contain a lone surrogate (an unpaired UTF-16 code unit, U+D800 to U+DFFF)";
  return null;
}

/**
 * Whether JSON text may hold NUL or a lone surrogate once parsed. JSON.parse refuses a raw
 * NUL (a control character) and a fatal UTF-8 decode leaves no lone surrogate in the text,
 * so both can only arrive as `\u` escapes: text without such an escape needs no walk. A
 * surrogate pair escaped by an ASCII-only serializer (Python's default) also matches; the
 * walk then finds nothing. indexOf first: most bodies hold no `\u` at all.
 */
export function jsonMayHoldUnsafeText(text: string): boolean {
  return text.includes("\\u") && /\\u(?:0000|[dD][89a-fA-F])/.test(text);
}

type Path = ReadonlyArray<string | number>;

const MAX_FIELD_NAME = 200;

function fieldName(path: Path): string {
  const name = path.length ? path.map(String).join(".") : "(body)";
  if (name.length <= MAX_FIELD_NAME) return name;
  // Cut before a surrogate pair rather than through it.
  const end = /[\uD800-\uDBFF]/.test(name[MAX_FIELD_NAME - 1]!) ? MAX_FIELD_NAME - 1 : MAX_FIELD_NAME;
  return `${name.slice(0, end)}…`;
}

/**
 * The strings and keys in a parsed JSON value (or zod output) that cannot be stored, each
 * named by its path under `base`; at most `max` of them.
 */
export function unsafeTextIssues(value: unknown, base: Path = [], max = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: Array<[unknown, Path]> = [[value, base]];
  while (stack.length > 0 && issues.length < max) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (problem) issues.push({ field: fieldName(path), error: problem });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, i]]);
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const problem = textProblem(key);
        // The key itself is unprintable here, so name its parent and say it is a key.
        if (problem) issues.push({ field: fieldName(path), error: `a key ${problem}` });
        else stack.push([(v as Record<string, unknown>)[key], [...path, key]]);
      }
    }
  }
  return issues.slice(0, max);
}

/** The first issue in `value`, or undefined. */
export function firstUnsafeText(value: unknown, base: Path = []): FieldIssue | undefined {
  return unsafeTextIssues(value, base, 1)[0];
}
