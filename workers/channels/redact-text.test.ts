import { describe, expect, it } from "vitest";
import { redactText, responseExcerpt } from "./redact-text.ts";

describe("redactText", () => {
  it.each([
    ["the channel's own secret", "bad signature for whsec_abc", ["whsec_abc"], "whsec_abc"],
    ["a whsec_ secret", "secret whsec_Zm9vYmFyYmF6cXV4cXV1eA== leaked", [], "Zm9vYmFy"],
    ["a Vigil API key", "key vgl_2b338b55_abcdefghijkl", [], "vgl_2b338b55"],
    ["a GitHub token", "token ghp_0123456789abcdefghijABCDEFGHIJ012345", [], "ghp_0123"],
    ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", [], "github_pat_11"],
    ["a Slack token", "xoxb-123456789012-abcdefghijkl", [], "xoxb-1234"],
    ["a bearer token", "Authorization: Bearer abc.def.ghi", [], "abc.def"],
    ["basic auth", "authorization=Basic dXNlcjpwYXNz", [], "dXNlcjpwYXNz"],
    ["a JWT", "got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", [], "eyJzdWIi"],
    ["a password pair", '{"password": "hunter2hunter2"}', [], "hunter2"],
    ["a routing key pair", "routing_key=R0UT1NGKEY0000", [], "R0UT1NG"],
    ["an AWS key id", "AKIAABCDEFGHIJKLMNOP", [], "AKIAABCD"],
    ["an scrypt hash", "hash scrypt$16384$8$1$c2FsdA$aGFzaA", [], "c2FsdA"],
    ["a URL path and query", "POST https://hooks.slack.com/services/T0/B0/SECRETPATH?token=1 failed", [], "SECRETPATH"],
    ["a long random word", "ref 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", [], "9f86d081"],
  ])("removes %s", (_what, text, known, secret) => {
    const out = redactText(text, known);
    expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });

  it("keeps ordinary words and a URL's origin", () => {
    expect(redactText("Service Unavailable: upstream https://api.example.com/v1/x timed out")).toBe("Service Unavailable: upstream https://api.example.com/[redacted] timed out");
    expect(redactText("internal_server_error_while_processing")).toBe("internal_server_error_while_processing");
  });
});

describe("responseExcerpt", () => {
  it("is one line of at most 200 characters, cut between code points", () => {
    const out = responseExcerpt(`line one\nline\ttwo\u0000 ${"😀".repeat(300)}`)!;
    expect(out.startsWith("line one line two")).toBe(true);
    expect(Array.from(out).length).toBeLessThanOrEqual(200);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate at the cut
  });

  it("turns control and separator characters into single spaces and collapses whitespace", () => {
    expect(responseExcerpt("\u0000bad\u0007\u0085request\u2028\u2029at\t\t line 1\r\n")).toBe("bad request at line 1");
  });

  it("keeps a reply of exactly 200 characters whole, and cuts a longer one to 199 and an ellipsis", () => {
    const exact = "ab ".repeat(66) + "cd";
    expect(exact).toHaveLength(200);
    expect(responseExcerpt(exact)).toBe(exact);
    const longer = responseExcerpt(`${exact}e`)!;
    expect(Array.from(longer)).toHaveLength(200);
    expect(longer).toBe(`${exact.slice(0, 199)}…`);
  });

  it("removes the channel's own secrets passed as known values, also in an excerpt", () => {
    expect(redactText("echo: hunter2-secret", ["hunter2-secret"])).not.toContain("hunter2-secret");
    expect(responseExcerpt("echo: hunter2-secret", [null, "hunter2-secret"])).not.toContain("hunter2-secret");
  });

  it("considers only the reply's first 2,000 characters, even where redaction and collapsing shrink them below 200", () => {
    // 2,500 spaces collapse to one: without the cut, text from past 2,000 would reach the excerpt.
    expect(responseExcerpt(`status ${" ".repeat(2_500)}tail after the scan`)).toBe("status");
    expect(responseExcerpt(`${"\n".repeat(1_999)}x`)).toBe("x");
    expect(responseExcerpt(`${"\n".repeat(2_000)}x`)).toBeNull();
  });

  it("is null for an empty reply", () => {
    expect(responseExcerpt("  \n ")).toBeNull();
  });

  it("stays fast on hostile replies (no quadratic backtracking)", () => {
    for (const hostile of ["x".repeat(65_536), "token".repeat(13_000), "a1".repeat(32_768), "Bearer ".repeat(9_000)]) {
      const t0 = Date.now();
      responseExcerpt(hostile, ["whsec_known"]);
      expect(Date.now() - t0).toBeLessThan(1_000);
    }
  });
});
