// Refuses a request whose path or query string decodes to text that cannot be stored (a
// NUL from `%00`; see security/unsafe-text.ts) with the shared 400, before any handler reads
// it. The OpenAPI hook screens what routes validate; this covers what routes read from the
// URL themselves (the baseline upload's `?name=`/`?note=` and path, NDJSON ingest's
// `?model=`, live sockets' room), and costs nothing for a URL without a `%`.
//
// A path parameter is named as the route declares it (`model`), found by lining the path up
// with the matched route's pattern; a path no route matches is reported as `path`.
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { tryDecodeURIComponent } from "hono/utils/url";
import { errorBody } from "../errors.ts";
import { textProblem } from "../security/unsafe-text.ts";
import type { FieldIssue } from "../errors.ts";

function pathIssues(pathname: string, pattern: string): FieldIssue[] {
  const segments = pathname.split("/");
  const names = pattern.split("/");
  const aligned = names.length === segments.length;
  const issues: FieldIssue[] = [];
  segments.forEach((segment, i) => {
    const problem = segment.includes("%") ? textProblem(tryDecodeURIComponent(segment)) : null;
    if (!problem) return;
    const name = aligned && names[i]!.startsWith(":") ? names[i]!.slice(1).replace(/\{.*\}\??$|\?$/, "") : "path";
    issues.push({ field: name, error: problem });
  });
  return issues;
}

function queryIssues(queries: Record<string, string[]>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, values] of Object.entries(queries)) {
    const keyProblem = textProblem(name);
    if (keyProblem) {
      issues.push({ field: "(query)", error: `a parameter name ${keyProblem}` });
      continue;
    }
    const problem = values.map(textProblem).find((p) => p !== null);
    if (problem) issues.push({ field: name, error: problem });
  }
  return issues;
}

/** 400 `validation_failed` naming each path parameter or query parameter that holds unstorable text. */
export function rejectUnsafeUrlText(): MiddlewareHandler {
  return async function urlTextMiddleware(c, next) {
    const url = c.req.url;
    // Only a percent-escape decodes to NUL (the URL parser escapes a raw one).
    if (url.includes("%")) {
      const { pathname, search } = new URL(url);
      const path = pathIssues(pathname, routePath(c, -1));
      const query = search.includes("%") ? queryIssues(c.req.queries()) : [];
      const issues = [...path, ...query];
      const first = issues[0];
      if (first) {
        const where = path.length ? "param" : "query";
        return c.json(errorBody("validation_failed", `invalid ${where}: ${first.field}: ${first.error}`, issues), 400);
      }
    }
    await next();
  };
}
