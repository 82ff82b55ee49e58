// End-to-end: the Analytics page in Debian's Chromium against a real `npm start` stack.
// Ninety minutes of a loan model's traffic are sent through the public API, stamped in the
// minutes they describe (a backfill), the last thirty drifting and erring more; actuals,
// a conversion KPI reported without prediction ids and a revenue KPI joined by prediction
// id follow, and a value matrix is set. The page must then chart metric and KPI with the
// drift shaded, show the correlation with its interval, the value over time, and a drift
// row whose KPI change is negative with its interval.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { launchStack, type Stack } from "../testing/stack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = process.env.VIGIL_E2E_ARTIFACTS ?? join(root, ".data/e2e");
const MODEL = "loans";
const VERSION = "v1";
const MINUTE = 60_000;

let stack: Stack;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function api(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.base}${path}`, { method, headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Ninety minutes of traffic ending a minute ago; returns nothing, the API holds it. */
async function backfill() {
  const r = rng(7);
  const top = Math.floor(Date.now() / MINUTE) * MINUTE;
  // Register the version and freeze a reference of the undrifted distribution.
  await api("POST", "/v1/ingest", { model: MODEL, version: VERSION, events: [{ prediction_id: "seed", timestamp: new Date(top - 3 * 3_600_000).toISOString(), features: { income: 40_000, age: 40 }, prediction: 0, score: 0.2 }] });
  const reference = Array.from({ length: 1_000 }, () => ({ income: 40_000 + (r() - 0.5) * 30_000, age: Math.floor(22 + r() * 45), prediction: r() < 0.3 ? 1 : 0 }));
  await api("PUT", `/v1/models/${MODEL}/versions/${VERSION}/baseline`, { rows: reference });
  for (let m = 90; m >= 1; m--) {
    const t = top - m * MINUTE;
    const drift = m <= 30;
    const errorRate = 0.08 + 0.06 * ((m * 7) % 5) / 4 + (drift ? 0.25 : 0);
    const events = Array.from({ length: 30 }, (_, i) => {
      const income = 40_000 + (r() - 0.5) * 30_000 + (drift ? 45_000 : 0);
      const score = Math.min(1, Math.max(0, 0.2 + (income - 40_000) / 100_000 + (r() - 0.5) * 0.2));
      return { prediction_id: `m${m}-${i}`, timestamp: new Date(t + i * 1_000).toISOString(), features: { income, age: Math.floor(22 + r() * 45) }, prediction: score > 0.5 ? 1 : 0, score };
    });
    await api("POST", "/v1/ingest", { model: MODEL, version: VERSION, batch_id: `b-${m}`, events });
    const actuals = events.map((e, i) => ({ prediction_id: e.prediction_id, actual: i < Math.round(errorRate * 30) ? 1 - e.prediction : e.prediction }));
    await api("POST", "/v1/actuals", { model: MODEL, version: VERSION, actuals });
    const conversion = Array.from({ length: 4 }, (_, i) => ({ timestamp: new Date(t + i * 12_000).toISOString(), kpi: "conversion", value: 0.55 - errorRate + (r() - 0.5) * 0.02 }));
    const revenue = events.filter((e) => e.prediction === 1).map((e) => ({ prediction_id: e.prediction_id, timestamp: new Date(t + 50_000).toISOString(), kpi: "revenue", value: 100 + r() * 50 }));
    await api("POST", "/v1/outcomes", { model: MODEL, batch_id: `o-${m}`, outcomes: [...conversion, ...revenue] });
  }
  await api("PUT", `/v1/models/${MODEL}/versions/${VERSION}/value-matrix`, { currency: "USD", tp: 120, fp: -15, fn: -300, tn: 0 });
}

beforeAll(async () => {
  stack = await launchStack();
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" && !(m.text().includes("401") && m.location().url.endsWith("/v1/sessions"))) consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await backfill();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("Analytics page in Chromium", () => {
  it("the impact API answers by event time once the monitor's series reach Postgres", async () => {
    const q = new URLSearchParams({ kpi: "conversion", metric: "accuracy", granularity: "minute", from: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    let body: Record<string, unknown> = {};
    // The monitor writes changed buckets with each outbox row (at most every 5 s, 500 points a row).
    for (let i = 0; i < 60 && body.n !== 90; i++) {
      body = await api("GET", `/v1/models/${MODEL}/versions/${VERSION}/impact?${q}`, undefined);
      if (body.n !== 90) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const missing = (body.points as [number, number | null, number | null][]).filter((p) => p[1] === null || p[2] === null);
    expect(missing.map((p) => [new Date(p[0]).toISOString(), p[1], p[2]])).toEqual([]);
    expect(body.n).toBe(90);
    expect((body.pearson as { r: number }).r).toBeGreaterThan(0.8);
  }, 90_000);

  it("charts metric and KPI with drift shaded, the correlation, the value and the impact table", async () => {
    await page.goto(stack.base);
    await page.getByLabel("API key", { exact: true }).fill(stack.adminKey);
    await page.getByRole("button", { name: "Use this key" }).click();
    await page.goto(`${stack.base}/#/analytics`);
    await page.getByRole("heading", { name: "Analytics", level: 1 }).waitFor();
    await page.waitForFunction((model) => (document.querySelector("[data-testid=pick-model]") as HTMLSelectElement | null)?.value === model, MODEL, { timeout: 15_000 });
    expect(await page.getByTestId("pick-model").inputValue()).toBe(MODEL);
    await page.getByTestId("pick-kpi").locator("option", { hasText: "conversion" }).waitFor({ state: "attached", timeout: 15_000 });
    await page.getByTestId("pick-kpi").selectOption("conversion");
    await page.getByTestId("pick-metric").selectOption("accuracy");
    const r = page.getByTestId("pearson-r");
    await r.waitFor({ timeout: 20_000 });
    // The first r shown can be the previous selection's (the default metric) until the new
    // one's request answers; on a loaded machine that took long enough to read 0.18 once.
    await expect.poll(async () => Number(await r.textContent()), { timeout: 20_000, interval: 250 }).toBeGreaterThan(0.8);
    expect(await page.getByTestId("correlation").textContent()).toMatch(/95 % interval/);
    // Two charts: metric and KPI, then the value per minute in USD.
    expect(await page.locator("[data-testid=impact-chart] canvas").count()).toBe(2);
    expect(await page.getByText("Value of the labelled predictions per minute (USD)").count()).toBe(1);
    const table = page.getByTestId("impact-events");
    await table.waitFor({ timeout: 15_000 });
    const incomeRow = table.locator("tr", { hasText: "drift of income" }).first();
    const change = await incomeRow.locator("td").last().textContent();
    expect(change).toMatch(/^−\S+ \(−\S+ to −\S+\)$/);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "analytics.png"), fullPage: true });
    // A metric with no figure in any bucket explains itself instead of drawing zeros.
    await page.getByTestId("pick-metric").selectOption("mae");
    await page.getByTestId("correlation-reason").waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("correlation-reason").textContent()).toMatch(/^No correlation: n = 0 aligned points/);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
