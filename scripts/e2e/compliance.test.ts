// End-to-end: the Compliance section and the signing dialog in Debian's Chromium against a
// real `npm start` stack. Two users set a two-signer promotion policy, promote a version
// from its model page (the dialog opens on the 428, refuses a wrong password, keeps the
// first signature pending), the second signs from Pending approvals, and the model page
// then shows who signed what. Erasure requests show their status and a certificate that
// hashes to what the API and the audit log hold. Retention settings are checked against
// the issue's contract (GET/PUT /v1/retention, POST /v1/retention/run) when the server
// has them, and otherwise for the panel saying so.
import { createHash } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { adminCall, launchStack, type Stack } from "../testing/stack.ts";

const MODEL = "loan-approval";
const PASSWORD = "signing password 2026";
const USERS = [
  { email: "ada.reviewer@vigil.test", name: "Ada Lovelace" },
  { email: "grace.approver@vigil.test", name: "Grace Hopper" },
] as const;

let stack: Stack;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

const api = (method: string, path: string, body?: unknown) => adminCall(stack, method, path, body);

/** Canonical JSON (keys sorted at every depth), as the server hashes certificates and records. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  return `{${Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
}
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function signIn(email: string) {
  await browser.context.clearCookies();
  await page.goto(`${stack.base}/`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  const form = page.getByRole("form", { name: "Sign in with email and password" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
  expect(await page.locator(".sidebar").textContent()).toContain(email);
}

beforeAll(async () => {
  stack = await launchStack();
  for (const u of USERS) {
    const created = await api("POST", "/v1/users", { email: u.email, name: u.name, role: "admin", password: PASSWORD });
    if (created.status !== 201) throw new Error(`user not created: ${created.status} ${JSON.stringify(created.body)}`);
  }
  expect((await api("POST", "/v1/models", { name: MODEL, prediction_kind: "binary" })).status).toBe(201);
  expect((await api("POST", `/v1/models/${MODEL}/versions`, { version: "v1", feature_schema: [{ name: "income", kind: "numerical", dtype: "float" }] })).status).toBe(201);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("console", (m) => {
    // Expected answers the dashboard handles: "no session yet" (401 on /v1/sessions), the policy's 428 and the wrong
    // password's 401 on promote, and the 400 for the out-of-range retention this test sends on purpose.
    const text = m.text();
    const url = m.location().url;
    const expected = (/\b401\b/.test(text) && /\/v1\/sessions$|\/promote$/.test(url)) || (/\b428\b/.test(text) && url.endsWith("/promote")) || (/\b400\b/.test(text) && url.endsWith("/v1/retention"));
    if (m.type() === "error" && !expected) consoleErrors.push(`${text} (${url})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("Compliance in Chromium", () => {
  it("sets a two-signer promotion policy from the Compliance section", async () => {
    await signIn(USERS[0].email);
    await page.goto(`${stack.base}/#/manage/compliance`);
    const form = page.getByRole("form", { name: "Signature policy" });
    await form.getByLabel("Require signatures for Promotion to production").check();
    await form.getByLabel("Signers needed for Promotion to production").fill("2");
    await form.getByRole("button", { name: "Save signature policy" }).click();
    await expect.poll(async () => (await form.getByRole("status").textContent()) ?? "", { timeout: 10_000 }).toBe("Saved.");
    const policy = await api("GET", "/v1/policies/signatures");
    expect(policy.body).toMatchObject({ production_promotion: { required: true, approvals: 2 }, baseline_change: { required: false }, threshold_change: { required: false } });
  }, 90_000);

  it("opens the signing dialog on promotion, refuses a wrong password, and keeps the first signature pending", async () => {
    await page.goto(`${stack.base}/#/models/${MODEL}/v1`);
    await page.getByRole("button", { name: "Promote to production" }).click();
    const dialog = page.getByRole("dialog", { name: /Sign: promote loan-approval v1 to production/ });
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.textContent()).toContain(`Signing as ${USERS[0].email}`);
    await dialog.getByLabel("Password").fill("not my password");
    await dialog.getByRole("button", { name: "Sign" }).click();
    await expect.poll(async () => (await dialog.getByRole("alert").textContent()) ?? "", { timeout: 10_000 }).toContain("password is wrong");
    expect((await api("GET", `/v1/models/${MODEL}/versions/v1`)).body.stage).toBe("development");

    await dialog.getByLabel(/^Reviewed/).check();
    await dialog.getByLabel("Password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Sign" }).click();
    await expect.poll(async () => (await page.getByTestId("pending-promotion").textContent().catch(() => "")) ?? "", { timeout: 10_000 }).toContain("1 of 2");
    expect(await page.getByTestId("pending-promotion").textContent()).toContain(USERS[0].name);
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect((await api("GET", `/v1/models/${MODEL}/versions/v1`)).body.stage).toBe("development");
  }, 90_000);

  it("lets a second user sign from Pending approvals, which promotes; the model page shows who signed what", async () => {
    await signIn(USERS[1].email);
    await page.goto(`${stack.base}/#/manage/compliance`);
    const pending = page.getByRole("table", { name: "Pending approvals" });
    const row = pending.getByRole("row", { name: /Promote loan-approval v1 to production/ });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain("1 of 2");
    await row.getByRole("button", { name: "Sign…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Sign" }).click();
    await expect.poll(async () => (await page.locator("#approvals-title ~ [role=status]").first().textContent().catch(() => "")) ?? "", { timeout: 10_000 }).toContain("Signed and applied");
    expect((await api("GET", `/v1/models/${MODEL}/versions/v1`)).body.stage).toBe("production");
    expect(await page.getByText("No change is waiting for signatures.").count()).toBe(1);

    await page.goto(`${stack.base}/#/models/${MODEL}/v1`);
    const table = page.getByRole("table", { name: "Signatures" });
    await table.waitFor({ timeout: 10_000 });
    const text = (await table.textContent()) ?? "";
    expect(text).toContain(`${USERS[0].name} (${USERS[0].email})`);
    expect(text).toContain(`${USERS[1].name} (${USERS[1].email})`);
    expect(text).toContain("reviewed");
    expect(text).toContain("approved");
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(await page.getByRole("button", { name: "Promote to production" }).count()).toBe(0);
    // What the page shows is what the API holds: two distinct signers on one record hash.
    const version = (await api("GET", `/v1/models/${MODEL}/versions/v1`)).body;
    const signatures = (await api("GET", `/v1/signatures?target_type=model_version&target_id=${version.id}`)).body.items;
    expect(signatures.map((s: any) => s.signer.name).sort()).toEqual([USERS[0].name, USERS[1].name].sort());
    expect(new Set(signatures.map((s: any) => s.record_sha256)).size).toBe(1);
  }, 90_000);

  it("requests an erasure and offers its certificate, which hashes to what the API and the audit log hold", async () => {
    await page.goto(`${stack.base}/#/manage/compliance`);
    const form = page.getByRole("form", { name: "Request an erasure" });
    await form.getByLabel("Subject id").fill("customer-e2e-4711");
    await form.getByRole("button", { name: "Erase this subject" }).click();
    const table = page.getByRole("table", { name: "Erasure requests" });
    const link = table.getByRole("link", { name: "Download certificate" });
    await expect
      .poll(async () => {
        if ((await link.count()) > 0) return "done";
        await form.getByRole("button", { name: /Refresh/ }).click();
        return (await table.textContent().catch(() => "")) ?? "";
      }, { timeout: 30_000, interval: 500 })
      .toBe("done");
    expect(await table.locator(".badge").first().textContent()).toBe("done");
    const href = (await link.getAttribute("href"))!;
    const file = JSON.parse(decodeURIComponent(href.replace(/^data:application\/json;charset=utf-8,/, "")));
    expect(sha256(canonical(file.document))).toBe(file.sha256);
    const listed = (await api("GET", "/v1/erasure?order=desc&limit=1")).body.items[0];
    expect(listed.certificate.sha256).toBe(file.sha256);
    expect(JSON.stringify(file)).not.toContain("customer-e2e-4711");
    const audit = (await api("GET", "/v1/audit?action=erasure.completed&order=desc&limit=1")).body;
    expect(JSON.stringify(audit)).toContain(file.sha256);
  }, 90_000);

  it("edits retention settings per the contract, or says the server does not offer them", async () => {
    await page.goto(`${stack.base}/#/manage/compliance`);
    const probe = await api("GET", "/v1/retention");
    if (probe.status === 404) {
      await expect.poll(async () => (await page.getByText("This server does not offer retention settings yet.").count()), { timeout: 10_000 }).toBe(1);
      return;
    }
    expect(probe.status).toBe(200);
    const form = page.getByRole("form", { name: "Retention settings" });
    await form.getByLabel("Raw events (days)").fill("30");
    await form.getByRole("button", { name: "Save retention" }).click();
    await expect.poll(async () => (await form.getByRole("status").textContent().catch(() => "")) ?? "", { timeout: 10_000 }).toBe("Retention saved.");
    expect((await api("GET", "/v1/retention")).body.raw_events_days).toBe(30);
    // The server names an out-of-range field.
    await form.getByLabel("Audit log (days)").fill("3651");
    await form.evaluate((f: HTMLFormElement) => f.setAttribute("novalidate", ""));
    await form.getByRole("button", { name: "Save retention" }).click();
    await expect.poll(async () => (await page.locator("#retention-title ~ *").allTextContents()).join(" "), { timeout: 10_000 }).toContain("audit_days");
    await form.getByLabel("Audit log (days)").fill(String(probe.body.audit_days));
    await form.getByRole("button", { name: "Run retention now" }).click();
    const removed = page.getByRole("table", { name: "Removed by the last run" });
    await removed.waitFor({ timeout: 30_000 });
    expect(await removed.getByRole("row").count()).toBeGreaterThan(1);
  }, 90_000);

  it("logged no unexpected console errors", () => {
    expect(consoleErrors).toEqual([]);
  });
});
