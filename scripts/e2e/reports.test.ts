// End-to-end: the Reports page in Debian's Chromium against a real `npm start` stack. A
// loan model gets a baseline and twenty minutes of traffic whose incomes moved, sent
// through the public API. A user signs in with a password (the cookie session), generates
// a drift report as HTML from the form and previews it in the sandboxed frame, generates
// it as PDF and downloads it (the bytes are a PDF whose SHA-256 is the one the API
// recorded), sees the API's field error for a range that ends in the future, and creates
// and deletes a report schedule. No console errors.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { adminCall, launchStack, type Stack } from "../testing/stack.ts";
import { ingest, makeEvents } from "./traffic.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = process.env.VIGIL_E2E_ARTIFACTS ?? join(root, ".data/e2e");
const MODEL = "loans";
const VERSION = "v1";
const USER = { email: "rita.reports@vigil.test", name: "Rita Reports", password: "reports password 2026" };

let stack: Stack;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

const api = (method: string, path: string, body?: unknown) => adminCall(stack, method, path, body);

/** A `datetime-local` value in this process's zone, which the browser it launched shares. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** The id of the newest report row once the form's POST has answered and its row is on top. */
async function generate(format: "HTML" | "PDF"): Promise<string> {
  const before = await page.evaluate(() => document.querySelector("table[aria-label=Reports] tbody tr")?.getAttribute("data-report") ?? null);
  const form = page.getByRole("form", { name: "Generate a report" });
  await form.getByLabel(format, { exact: true }).check();
  // Record whether the form showed its progress, however briefly the server took.
  await page.evaluate(() => {
    const w = window as unknown as { sawProgress: boolean };
    w.sawProgress = false;
    new MutationObserver(() => {
      const button = document.querySelector<HTMLButtonElement>("form[aria-label='Generate a report'] button[type=submit]");
      if (button?.disabled && button.textContent === "Generating…" && document.querySelector("[data-testid=report-progress]")) w.sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await form.getByRole("button", { name: "Generate report" }).click();
  await page.waitForFunction(
    (prev) => {
      const top = document.querySelector("table[aria-label=Reports] tbody tr");
      return top !== null && top.getAttribute("data-report") !== prev;
    },
    before,
    { timeout: 60_000 },
  );
  await form.getByRole("button", { name: "Generate report" }).waitFor({ timeout: 10_000 });
  expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
  return (await page.locator("table[aria-label=Reports] tbody tr").first().getAttribute("data-report"))!;
}

beforeAll(async () => {
  stack = await launchStack();
  const created = await api("POST", "/v1/users", { email: USER.email, name: USER.name, role: "admin", password: USER.password });
  if (created.status !== 201) throw new Error(`user not created: ${created.status} ${JSON.stringify(created.body)}`);
  // Register the version, freeze a baseline of the unshifted distribution, then send shifted traffic.
  await ingest(stack.base, stack.adminKey, { model: MODEL, version: VERSION, batchId: "seed", size: 1, seed: 1 });
  const rows = makeEvents({ model: MODEL, version: VERSION, batchId: "ref", size: 2_000, seed: 2 }).map((e) => ({ ...e.features, prediction: e.prediction }));
  const baseline = await api("PUT", `/v1/models/${MODEL}/versions/${VERSION}/baseline`, { rows });
  if (baseline.status !== 200) throw new Error(`baseline: ${baseline.status} ${JSON.stringify(baseline.body)}`);
  for (let i = 0; i < 3; i++) await ingest(stack.base, stack.adminKey, { model: MODEL, version: VERSION, batchId: `shifted-${i}`, size: 500, shift: 1, seed: 10 + i });

  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("console", (m) => {
    // Answers the page handles: "no session yet" (401 on /v1/sessions) and the 400 for the range this test sends on purpose.
    const text = m.text();
    const url = m.location().url;
    const expected =
      (/\b401\b/.test(text) && url.endsWith("/v1/sessions")) || (/\b400\b/.test(text) && url.endsWith("/v1/reports"));
    if (m.type() === "error" && !expected) consoleErrors.push(`${text} (${url})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("Reports page in Chromium", () => {
  it("signs in with a password and opens the Reports page with the model picked", async () => {
    await page.goto(`${stack.base}/`);
    const form = page.getByRole("form", { name: "Sign in with email and password" });
    await form.getByLabel("Email").fill(USER.email);
    await form.getByLabel("Password").fill(USER.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
    await page.goto(`${stack.base}/#/reports`);
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    await expect.poll(async () => page.getByTestId("report-version").inputValue(), { timeout: 15_000 }).toBe(VERSION);
    expect(await page.getByTestId("report-model").inputValue()).toBe(MODEL);
    expect(await page.getByText("No reports yet.", { exact: false }).count()).toBe(1);
  }, 60_000);

  it("generates a drift report as HTML and previews it in a sandboxed frame", async () => {
    const id = await generate("HTML");
    const row = page.locator(`tr[data-report="${id}"]`);
    expect(await row.getAttribute("data-status")).toBe("succeeded");
    expect(await row.textContent()).toContain(`${MODEL} ${VERSION}`);
    const listed = (await api("GET", `/v1/reports/${id}`)).body;
    expect(listed).toMatchObject({ kind: "drift", format: "html", status: "succeeded", created_by: { type: "user", id: USER.email } });
    expect(await row.locator("code[data-sha256]").getAttribute("title")).toBe(listed.sha256);

    await row.getByRole("button", { name: "Preview" }).click();
    const frame = page.getByTestId("report-preview").locator("iframe");
    await frame.waitFor({ timeout: 15_000 });
    expect(await frame.getAttribute("sandbox")).toBe("");
    const inside = page.frameLocator("[data-testid=report-preview] iframe");
    await expect.poll(async () => (await inside.locator("h1").textContent().catch(() => "")) ?? "", { timeout: 15_000 }).toBe(`Drift report: ${MODEL} ${VERSION}`);
    const text = (await inside.locator("body").textContent()) ?? "";
    expect(text).toContain("income");
    expect(text).toContain(listed.content_sha256);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "reports-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Close preview" }).click();
  }, 90_000);

  it("generates the report as PDF and downloads bytes whose SHA-256 is the API's", async () => {
    const id = await generate("PDF");
    const row = page.locator(`tr[data-report="${id}"]`);
    expect(await row.getByRole("button", { name: "Preview" }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), row.getByRole("button", { name: /^Download PDF/ }).click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const report = (await api("GET", `/v1/reports/${id}`)).body;
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(report.sha256);
    expect(bytes.length).toBe(report.size_bytes);
    expect(download.suggestedFilename()).toBe(report.file_name);
    await row.getByTestId("download-verified").waitFor({ timeout: 10_000 });
  }, 90_000);

  it("shows the API's field error for a range that ends in the future, under To", async () => {
    const form = page.getByRole("form", { name: "Generate a report" });
    await page.getByTestId("report-range").selectOption("custom");
    const now = Date.now();
    await page.getByTestId("report-from").fill(localInput(now - 3_600_000));
    await page.getByTestId("report-to").fill(localInput(now + 3 * 3_600_000));
    await form.getByRole("button", { name: "Generate report" }).click();
    const error = page.getByTestId("report-to-error");
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toMatch(/^is in the future/);
    expect(await page.getByTestId("report-to").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("table[aria-label=Reports] tbody tr").count()).toBe(2);
  }, 60_000);

  it("creates a schedule with its cron explained and deletes it", async () => {
    await page.getByRole("button", { name: "New schedule…" }).click();
    const form = page.getByRole("form", { name: "New report schedule" });
    await expect.poll(async () => form.getByTestId("schedule-version").inputValue(), { timeout: 15_000 }).toBe(VERSION);
    await form.getByTestId("schedule-cron").fill("0 7 * * 1");
    expect(await form.getByTestId("schedule-cron-hint").textContent()).toMatch(/^Runs at 07:00 UTC on Monday; next \d{4}-\d\d-\d\d 07:00 UTC\.$/);
    await form.getByRole("button", { name: "Create schedule" }).click();
    const table = page.getByRole("table", { name: "Report schedules" });
    await table.waitFor({ timeout: 15_000 });
    const row = table.locator("tbody tr").first();
    expect(await row.getByTestId("cron-hint").textContent()).toBe("at 07:00 UTC on Monday");
    const listed = (await api("GET", "/v1/report-schedules")).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: "drift", model: MODEL, version: VERSION, cron: "0 7 * * 1", format: "pdf" });
    // The next run the table shows is the server's, to the minute (UTC).
    expect(listed[0].next_run_at).toMatch(/T07:00:00/);
    expect(await row.textContent()).toContain(`${listed[0].next_run_at.slice(0, 16).replace("T", " ")} UTC`);
    expect(await row.textContent()).toContain("7 d");
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: /^Delete schedule/ }).click();
    await page.getByText("No schedules yet.").waitFor({ timeout: 15_000 });
    expect((await api("GET", "/v1/report-schedules")).body.items).toHaveLength(0);
  }, 60_000);

  it("logged no unexpected console errors", () => {
    expect(consoleErrors.join("\n")).toBe("");
  });
});
