// End-to-end: the dashboard in Debian's Chromium against a real `npm start` stack, with
// prediction traffic sent through the public ingest API. Screenshots go to
// .data/e2e (git-ignored), or VIGIL_E2E_ARTIFACTS. With VIGIL_WRITE_SCREENSHOTS=1 the
// run also writes the README's picture, docs/images/dashboard.png: the model page at the
// browser's 1280×800 viewport once the drift onset shows, so it holds live data.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProfile } from "../../stats/profile/build.ts";
import { writeProfile } from "../../stats/profile/io.ts";
import { launchChromium } from "./browser.ts";
import { droppableProxy, type DroppableProxy } from "./proxy.ts";
import { launchStack, type Stack } from "../testing/stack.ts";
import { ingest, makeEvents } from "./traffic.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = process.env.VIGIL_E2E_ARTIFACTS ?? join(root, ".data/e2e");
const MODEL = "credit-risk";
const VERSION = "v1";

let stack: Stack;
let proxy: DroppableProxy;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let url: string;
const consoleErrors: string[] = [];
let batch = 0;

function send(size: number, shift = 0) {
  return ingest(stack.base, stack.adminKey, { model: MODEL, version: VERSION, batchId: `e2e-${batch++}`, size, shift, seed: batch });
}

async function shot(name: string) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** The committed documentation picture `docs/images/<name>.png`, only when asked for (see header). */
async function docShot(name: string) {
  if (process.env.VIGIL_WRITE_SCREENSHOTS !== "1") return;
  const dir = join(root, "docs/images");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** Resolves with the elapsed ms once the text of `selector` differs from `before`. */
async function untilChanged(selector: string, before: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(([sel, prev]) => document.querySelector(sel!)?.textContent !== prev, [selector, before] as const, { timeout: timeoutMs, polling: 25 });
  return Date.now() - t0;
}

beforeAll(async () => {
  stack = await launchStack();
  proxy = await droppableProxy(Number(new URL(stack.base).port));
  url = `http://127.0.0.1:${proxy.port}`;
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("console", (m) => {
    // Before sign-in the dashboard asks GET /v1/sessions whether a cookie session exists; its 401 is the answer "no".
    if (m.type() === "error" && !(m.text().includes("401") && m.location().url.endsWith("/v1/sessions"))) consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await stack?.stop();
});

describe("dashboard in Chromium", () => {
  it("signs in with the printed key and shows the first-ingest curl carrying it", async () => {
    await page.goto(url);
    await page.getByLabel("API key", { exact: true }).fill(stack.adminKey);
    await page.getByRole("button", { name: "Use this key" }).click();
    const curl = page.getByTestId("curl-example");
    await curl.waitFor({ timeout: 15_000 });
    expect(await curl.textContent()).toContain(`Authorization: Bearer ${stack.adminKey}`);
    expect(await curl.textContent()).toContain(`${url}/v1/ingest`);
    await shot("overview-empty");
  }, 60_000);

  it("signs in with the one-time login link npm start prints, and writes with the session (CSRF) to create a key shown once", async () => {
    const m = /one-time link[^\n]*\n\s+(http\S+)/.exec(stack.output());
    if (!m) throw new Error(`no login link printed:\n${stack.output()}`);
    const link = new URL(m[1]!);
    // A new tab: no API key in its sessionStorage, so only the cookie session can sign it in.
    const tab = await browser.context.newPage();
    tab.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    try {
      await tab.goto(`${url}${link.pathname}${link.search}`);
      await tab.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
      expect(await tab.locator(".sidebar").textContent()).toMatch(/@/);
      await tab.goto(`${url}/#/manage/keys`);
      await tab.getByLabel("Name", { exact: true }).fill("e2e-ingest");
      await tab.getByRole("button", { name: "Create key" }).click();
      expect(await tab.getByTestId("new-key").textContent({ timeout: 10_000 })).toMatch(/^vgl_[0-9a-f]{8}_\S+$/);
      await tab.getByRole("button", { name: "I have stored it" }).click();
      await tab.getByRole("cell", { name: "e2e-ingest", exact: true }).waitFor();
    } finally {
      await tab.close();
    }
  }, 60_000);

  it("moves through the pages with the keyboard alone", async () => {
    await page.goto(`${url}/#/`);
    await page.reload();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // From the top: skip link, brand, then the navigation in order.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let label = "";
    for (let i = 0; i < 8 && label !== "Alerts"; i++) {
      await page.keyboard.press("Tab");
      label = (await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? "";
    }
    expect(label).toBe("Alerts");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/alerts");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await shot("alerts");
  }, 60_000);

  it("lists a model on the overview once it sends predictions", async () => {
    await send(500);
    await page.goto(`${url}/#/`);
    const row = page.getByTestId(`model-row-${MODEL}-${VERSION}`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId("event-rate").filter({ hasNotText: "—" }).waitFor({ timeout: 10_000 });
    expect(await row.getByTestId("event-rate").textContent()).not.toBe("—");
    await shot("overview");
  }, 60_000);

  it("updates the model page's live numbers within 1 s of ingest", async () => {
    await send(500);
    await page.goto(`${url}/#/models/${MODEL}/${VERSION}`);
    await page.getByTestId("kpi-events").waitFor({ timeout: 15_000 });
    await page.getByText("Live", { exact: true }).waitFor({ timeout: 10_000 });
    // Let the first ticks settle, then time one batch from its 2xx to the number on screen.
    await page.waitForTimeout(2_500);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = (await page.getByTestId("kpi-events").textContent()) ?? "";
      await send(300);
      delays.push(await untilChanged('[data-testid="kpi-events"]', before, 5_000));
      await page.waitForTimeout(300);
    }
    console.log(`ingest 2xx → number on screen: ${delays.join(", ")} ms`);
    expect(Math.min(...delays)).toBeLessThan(1_000);
    await shot("model-detail");
  }, 90_000);

  it("resumes live updates after a network drop, without a reload", async () => {
    await page.evaluate(() => ((window as unknown as { vigilMarker: number }).vigilMarker = 42));
    proxy.drop();
    await page.getByText("Reconnecting", { exact: true }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1_500);
    proxy.restore();
    await page.getByText("Live", { exact: true }).waitFor({ timeout: 15_000 });
    const before = (await page.getByTestId("kpi-events").textContent()) ?? "";
    await send(300);
    await untilChanged('[data-testid="kpi-events"]', before, 5_000);
    expect(await page.evaluate(() => (window as unknown as { vigilMarker?: number }).vigilMarker)).toBe(42);
  }, 60_000);

  it("shows a drift onset on the model page and lets the user acknowledge the resulting alert", async () => {
    // The first 5,000 events become the baseline; then incomes and regions move.
    for (let i = 0; i < 10; i++) await send(500);
    await page.goto(`${url}/#/models/${MODEL}/${VERSION}`);
    const drifted = page.getByTestId("drift-table").getByText("Drifted").first();
    const t0 = Date.now();
    while (!(await drifted.isVisible())) {
      if (Date.now() - t0 > 60_000) throw new Error("no drift shown within 60 s of the shift");
      await send(400, 1);
      await page.waitForTimeout(250);
    }
    console.log(`drift onset visible ${Date.now() - t0} ms after the first shifted batch`);
    await shot("model-detail-drift");
    await docShot("dashboard");

    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    const first = page.getByRole("table").getByRole("link").first();
    const t1 = Date.now();
    while (!(await first.isVisible())) {
      if (Date.now() - t1 > 60_000) throw new Error("no alert opened within 60 s of the drift");
      await send(400, 1);
      await page.waitForTimeout(1_000);
    }
    await first.click();
    const detail = page.getByTestId("alert-detail");
    await detail.getByLabel("Note (optional)").fill("looking into the income shift");
    await detail.getByRole("button", { name: "Acknowledge" }).click();
    await detail.getByRole("button", { name: "Acknowledge" }).waitFor({ state: "detached", timeout: 10_000 });
    await detail.getByText("“looking into the income shift”").waitFor();
    expect(await detail.getByText("Acknowledged").count()).toBeGreaterThan(0);
    await shot("alerts-acknowledged");
  }, 180_000);

  it("uploads a baseline profile from Management with a progress bar", async () => {
    const rows = makeEvents({ model: MODEL, version: VERSION, batchId: "reference", size: 2_000, seed: 99 }).map((e) => ({ ...e.features, prediction: e.prediction }));
    const file = join(mkdtempSync(join(tmpdir(), "vigil-baseline-")), "reference-profile.json");
    writeFileSync(file, writeProfile(buildProfile(rows, { prediction: "prediction" })));
    await page.goto(`${url}/#/manage/baselines`);
    await page.getByLabel("Model version").selectOption(`${MODEL}:${VERSION}`);
    await page.getByLabel("Reference file").setInputFiles(file);
    await page.getByRole("button", { name: "Upload baseline" }).click();
    await page.getByText(`Baseline for ${MODEL} ${VERSION} uploaded from reference-profile.json`).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel("Upload progress").getAttribute("aria-valuetext")).toBe("100%");
    const notice = (await page.getByText(`Baseline for ${MODEL} ${VERSION} uploaded`).textContent()) ?? "";
    const auth = { headers: { authorization: `Bearer ${stack.adminKey}` } };
    if (notice.includes("registry")) {
      // A server without the monitor's PUT …/baseline: the profile is the registry's active baseline.
      const body = (await (await fetch(`${stack.base}/v1/models/${MODEL}/versions/${VERSION}/baselines`, auth)).json()) as { items: { name: string; active: boolean }[] };
      expect(body.items.find((b) => b.name === "reference-profile.json")?.active).toBe(true);
    } else {
      // The monitor scores against it: the live snapshot names an uploaded baseline of the profile's size.
      const live = (await (await fetch(`${stack.base}/v1/models/${MODEL}/versions/${VERSION}/live`, auth)).json()) as { baseline: { source: string; rows: number } };
      expect(live.baseline).toMatchObject({ source: "upload", rows: 2_000 });
    }
    await shot("baseline-uploaded");
  }, 60_000);

  it("logged no console errors", () => {
    // Errors from the deliberate network drop are the browser reporting the outage.
    const unexpected = consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|WebSocket connection to .* failed|ERR_NETWORK_CHANGED|Failed to load resource: net::/.test(e));
    expect(unexpected).toEqual([]);
  });
});
