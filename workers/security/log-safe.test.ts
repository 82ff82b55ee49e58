// What may be logged about an error: real database errors (drizzle wraps the statement
// and its parameters into the message) described without their values, and credential
// shapes masked wherever they appear.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { channels, orgs } from "../db/schema/index.ts";
import { withDb } from "../testing/seed.ts";
import { describeError, redactSecrets } from "./log-safe.ts";

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(() => {
    throw new Error("expected the query to fail");
  }, (error: unknown) => error);
}

describe("describeError", () => {
  it("describes a failed insert by its statement and SQLSTATE, never its parameters", async () => {
    const error = await withDb((db) => failure(() => db.insert(orgs).values({ slug: "canary-slug\u0000", name: "Canary Org 7Q2" })));
    // What a raw log line used to carry.
    expect(String((error as Error).message)).toContain("Canary Org 7Q2");
    const described = describeError(error);
    expect(described).not.toContain("Canary Org 7Q2");
    expect(described).not.toContain("canary-slug");
    expect(described).toMatch(/^DrizzleQueryError: Failed query: insert into "orgs" .*\[parameters withheld\]/);
    expect(described).toMatch(/caused by DatabaseError \[code=22021\]: invalid byte sequence/);
  });

  it("masks the value a Postgres message quotes", async () => {
    const error = await withDb((db) => failure(() => db.select().from(channels).where(eq(channels.id, "not-a-uuid-canary-8Z"))));
    const described = describeError(error);
    expect(described).toMatch(/invalid input syntax for type uuid: "\[value withheld\]"/);
    expect(described).not.toContain("canary-8Z");
  });

  it("keeps stack frames but not the message line they repeat", () => {
    const error = new Error("token=ghp_abcdefghijklmnopqrstuvwxyz012345 rejected");
    const described = describeError(error);
    expect(described).toMatch(/^Error: token=\[redacted\] rejected\n\s+at /);
    expect(described).not.toContain("ghp_");
  });

  it("describes a cause chain and non-errors", () => {
    const error = new Error("outer", { cause: Object.assign(new Error("inner"), { code: "57P01" }) });
    expect(describeError(error).split("\n")[0]).toBe("Error: outer ← caused by Error [code=57P01]: inner");
    expect(describeError("whsec_abc")).toBe("non-error value (string)");
  });
});

describe("redactSecrets", () => {
  it.each([
    ["a webhook secret", "secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_"],
    ["an API key", "key vgl_2b338b55_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg used", "AbCdEf"],
    ["a GitHub token", "auth ghp_16C7e42F292c6912E7710c838347Ae178B4a failed", "ghp_"],
    ["a Slack token", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "xoxb-"],
    ["a bearer header", "Authorization: Bearer opaque.token.value", "opaque.token"],
    ["a password hash", "hash scrypt$16384$8$5$c2FsdHNhbHQ=$a2V5a2V5a2V5 stored", "c2FsdHNhbHQ"],
    ["a Slack webhook URL", "POST https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX failed", "T000/B000"],
    ["a database URL", "connect postgres://vigil:hunter2@db.internal:5432/vigil refused", "hunter2"],
    ["a query string", "GET /v1/sessions/link?token=Zm9vYmFyYmF6cXV4cXV1eA&redirect=false", "Zm9vYmFy"],
    ["an opaque token", "session 6f1c0d9a4b7e4c2f8a3b5d7e9f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a", "6f1c0d9a"],
  ])("masks %s", (_what, text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });

  it("keeps ordinary text, hosts and identifiers", () => {
    const text = 'insert into "channels" ("id", "org_id") values (default, $1) at /work/main/workers/routes/channels.ts:120:7';
    expect(redactSecrets(text)).toBe(text);
    expect(redactSecrets("POST https://hooks.slack.com/services/T0/B0/X failed")).toBe("POST https://hooks.slack.com/[redacted] failed");
  });
});
