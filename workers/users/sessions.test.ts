// The session cookie's name per scheme and the CSRF check, through the real app: over
// HTTPS only `__Host-vigil_session` is a session (a plain-named cookie could be planted
// by a sibling subdomain or a plain-http response), on plain-http loopback only
// `vigil_session`; the CSRF token is compared with the constant-time comparison.
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../app.ts";
import * as constantTime from "../auth/constant-time.ts";
import { seedUser, type TestUser } from "../testing/principals.ts";
import { seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { createSession, PLAIN_COOKIE, SECURE_COOKIE } from "./sessions.ts";

// vitest's module mocker calls AsyncLocalStorage#disable() once a mock factory settles
// (a speed-up for Node); workerd does not implement it. Disabling is only an
// optimisation, so the test lets it be a no-op.
vi.hoisted(async () => {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  AsyncLocalStorage.prototype.disable = () => {};
});
vi.mock("../auth/constant-time.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../auth/constant-time.ts")>();
  return { ...actual, constantTimeEqualText: vi.fn(actual.constantTimeEqualText) };
});

const app = createApp();
const HTTPS = "https://vigil.example.com";
const LOOPBACK = "http://127.0.0.1:8787";

async function signedIn(): Promise<{ user: TestUser; token: string; csrf: string }> {
  return withDb(async (db) => {
    const org = await seedOrg(db);
    const user = await seedUser(db, org.orgId, "admin");
    const session = await createSession(db, { userId: user.userId, orgId: org.orgId });
    return { user, token: session.token, csrf: session.csrfToken };
  });
}

const get = (base: string, cookie: string) => app.request(new Request(`${base}/v1/sessions`, { headers: { cookie } }), undefined, testEnv);

describe("session cookie names", () => {
  it("over HTTPS accepts only the __Host- name, not a plain-named cookie", async () => {
    const { token } = await signedIn();
    const plain = await get(HTTPS, `${PLAIN_COOKIE}=${token}`);
    expect(plain.status).toBe(401);
    const prefixed = await get(HTTPS, `${SECURE_COOKIE}=${token}`);
    expect(prefixed.status).toBe(200);
    // Both sent, the plain one planted with another session's token: the __Host- one decides.
    const other = await signedIn();
    const both = await get(HTTPS, `${PLAIN_COOKIE}=${other.token}; ${SECURE_COOKIE}=${token}`);
    expect(((await both.json()) as { user: { id: string } }).user.id).not.toBe(other.user.userId);
  });

  it("on plain-http loopback accepts the plain name (the browser cannot keep a __Host- cookie there)", async () => {
    const { token } = await signedIn();
    expect((await get(LOOPBACK, `${PLAIN_COOKIE}=${token}`)).status).toBe(200);
    expect((await get(LOOPBACK, `${SECURE_COOKIE}=${token}`)).status).toBe(401);
  });
});

describe("CSRF token", () => {
  const write = (cookie: string, csrf: string | undefined) =>
    app.request(
      new Request(`${LOOPBACK}/v1/projects`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...(csrf === undefined ? {} : { "x-csrf-token": csrf }) },
        body: JSON.stringify({ slug: `p-${crypto.randomUUID().slice(0, 8)}`, name: "P" }),
      }),
      undefined,
      testEnv,
    );

  it("refuses a wrong token of the right length, compared in constant time", async () => {
    const { token, csrf } = await signedIn();
    const cookie = `${PLAIN_COOKIE}=${token}`;
    // Same length, differing only in the last character: the case a timing attack probes.
    const last = csrf.at(-1) === "A" ? "B" : "A";
    const compare = vi.mocked(constantTime.constantTimeEqualText);
    compare.mockClear();
    const wrong = await write(cookie, `${csrf.slice(0, -1)}${last}`);
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
    expect(compare).toHaveBeenCalledWith(`${csrf.slice(0, -1)}${last}`, csrf);
    expect(compare).toHaveLastReturnedWith(false);

    expect((await write(cookie, undefined)).status).toBe(403);
    expect((await write(cookie, csrf.slice(0, -1))).status).toBe(403);
    expect((await write(cookie, csrf)).status).toBe(201);
  });
});
