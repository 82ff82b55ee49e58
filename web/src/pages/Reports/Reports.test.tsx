import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App.tsx";
import { createAppState, KEY_STORAGE } from "../../state/app-state.ts";
import { fakeSockets, memoryStorage, routeFetch } from "../../testing/fake-socket.ts";

const KEY = "vgl_0123abcd_secretsecret";
const HTML = "<!doctype html><html><head><style>body{font:14px serif}</style></head><body><h1>Drift report: loans v1</h1><script>parent.hacked = true</script></body></html>";
const HTML_SHA = "5f0c".padEnd(64, "0");

const models = { items: [{ name: "loans", project: "default", description: "", prediction_kind: "binary", created_at: "2026-11-01T00:00:00Z" }], next_cursor: null };
const version = (v: string, stage: string) => ({
  model: "loans", version: v, stage, prediction_kind: "binary", description: "", created_at: "2026-11-01T00:00:00Z",
  feature_schema: [{ name: "income", kind: "numerical" }], links: {}, active_baseline: null,
});
const versions = { items: [version("v1", "production"), version("v2", "staging")], next_cursor: null };

function report(over: Record<string, unknown>) {
  return {
    id: "00000000-0000-4000-8000-000000000001", kind: "drift", format: "html", status: "succeeded",
    query: { kind: "drift", format: "html", project: "default", model: "loans", version: "v1", from: "2026-12-04T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z" },
    project: "11111111-1111-4111-8111-111111111111", model: "loans", version: "v1", from: "2026-12-04T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z", schedule_id: null,
    created_by: { type: "user", id: "ada@vigil.test" }, created_at: "2026-12-05T12:00:01.000Z", completed_at: "2026-12-05T12:00:02.000Z", generator: "Vigil 0.1 reports/1",
    audit_anchor: null, sha256: HTML_SHA, content_sha256: "c".repeat(64), size_bytes: 20_480, content_type: "text/html", file_name: "vigil_drift_loans_v1.html",
    duration_ms: 850, error: null, download_url: "/v1/reports/00000000-0000-4000-8000-000000000001/download", ...over,
  };
}
const htmlReport = report({});
const failed = report({
  id: "00000000-0000-4000-8000-000000000002", kind: "audit-trail", format: "pdf", status: "failed", model: null, version: null,
  query: { kind: "audit-trail", format: "pdf", project: "risk", model: null, version: null }, created_at: "2026-12-05T11:00:00.000Z",
  sha256: null, size_bytes: null, file_name: null, download_url: null, error: "the audit chain could not be verified: record 17's hash does not match",
});

const sha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

let created: string[];
beforeEach(() => {
  created = [];
  vi.spyOn(URL, "createObjectURL").mockImplementation(() => (created.push("blob"), "blob:report"));
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  location.hash = "";
});

function start(routes: Parameters<typeof routeFetch>[0]) {
  const { fn, calls } = routeFetch({
    "/v1/models": () => Response.json(models),
    "/v1/models/loans/versions": () => Response.json(versions),
    "/v1/projects": () => Response.json({ items: [{ id: "p1", slug: "default", name: "Default" }, { id: "p2", slug: "risk", name: "Risk" }], next_cursor: null }),
    "/v1/channels": () => Response.json({ channels: [{ id: "c1", name: "risk-team", kind: "slack", models: null, enabled: true }, { id: "c2", name: "retrain-hook", kind: "retrain", models: null, enabled: true }] }),
    "/v1/report-schedules": () => Response.json({ items: [], next_cursor: null }),
    ...routes,
  });
  vi.stubGlobal("fetch", fn);
  location.hash = "#/reports";
  const state = createAppState({ session: memoryStorage({ [KEY_STORAGE]: KEY }), hash: location.hash });
  render(<App state={state} sockets={fakeSockets().factory} />);
  return { calls };
}

const rowOf = (id: string) => document.querySelector(`tr[data-report="${id}"]`) as HTMLElement;

describe("Reports page", () => {
  it("lists reports with scope, range, status and reason, a short hash whole on hover, and previews HTML in a sandbox without scripts", async () => {
    const { calls } = start({
      "/v1/reports": () => Response.json({ items: [htmlReport, failed], next_cursor: null }),
      [`/v1/reports/${htmlReport.id}/download`]: () => new Response(HTML, { headers: { "content-type": "text/html; charset=utf-8", "content-disposition": 'inline; filename="vigil_drift_loans_v1.html"' } }),
    });
    const table = await screen.findByRole("table", { name: "Reports" }, { timeout: 10_000 });
    const ok = within(rowOf(htmlReport.id));
    expect(ok.getByText("loans v1")).toBeTruthy();
    expect(rowOf(htmlReport.id).querySelector("td[title]")!.getAttribute("title")).toBe("2026-12-04 12:00 → 2026-12-05 12:00 UTC");
    expect(rowOf(htmlReport.id).querySelector("td[title]")!.textContent).toBe("2026-12-04 12:00 →2026-12-05 12:00 UTC");
    expect(ok.getByText("succeeded")).toBeTruthy();
    expect(ok.getByText("ada@vigil.test")).toBeTruthy();
    const sha = rowOf(htmlReport.id).querySelector("code[data-sha256]")!;
    expect(sha.textContent).toBe(`${HTML_SHA.slice(0, 12)}…`);
    expect(sha.getAttribute("title")).toBe(HTML_SHA);
    const bad = within(rowOf(failed.id));
    expect(bad.getByText("Audit trail")).toBeTruthy();
    expect(bad.getByText("project risk")).toBeTruthy();
    expect(bad.getByTestId("report-error").textContent).toBe("the audit chain could not be verified: record 17's hash does not match");
    expect(bad.queryByRole("button", { name: /Download/ })).toBeNull();
    expect(within(table).getAllByRole("button", { name: "Preview" })).toHaveLength(1);

    fireEvent.click(ok.getByRole("button", { name: "Preview" }));
    const preview = await screen.findByTestId("report-preview");
    const frame = (await within(preview).findByTitle(`Report ${htmlReport.id}`)) as HTMLIFrameElement;
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toBe(HTML);
    const download = calls.find((c) => c.path === `/v1/reports/${htmlReport.id}/download?inline=1`)!;
    expect(new Headers(download.init!.headers).get("authorization")).toBe(`Bearer ${KEY}`);
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
    fireEvent.click(within(preview).getByRole("button", { name: "Close preview" }));
    await waitFor(() => expect(screen.queryByTestId("report-preview")).toBeNull());
  });

  it("downloads a file with the key, saves it under the server's name and checks its SHA-256", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.7\n% a report\n%%EOF\n");
    const pdfReport = report({ id: "00000000-0000-4000-8000-000000000003", format: "pdf", sha256: await sha256(pdf), content_type: "application/pdf", file_name: "vigil_drift_loans_v1.pdf" });
    const tampered = report({ id: "00000000-0000-4000-8000-000000000004", format: "json", sha256: "0".repeat(64), content_type: "application/json", file_name: "x.json" });
    const names: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const { calls } = start({
      "/v1/reports": () => Response.json({ items: [pdfReport, tampered], next_cursor: null }),
      [`/v1/reports/${pdfReport.id}/download`]: () => new Response(pdf, { headers: { "content-type": "application/pdf", "content-disposition": 'attachment; filename="vigil_drift_loans_v1_20261205.pdf"' } }),
      [`/v1/reports/${tampered.id}/download`]: () => new Response("{}", { headers: { "content-type": "application/json" } }),
    });
    await screen.findByRole("table", { name: "Reports" }, { timeout: 10_000 });
    fireEvent.click(within(rowOf(pdfReport.id)).getByRole("button", { name: /^Download PDF/ }));
    await within(rowOf(pdfReport.id)).findByTestId("download-verified");
    expect(names).toEqual(["vigil_drift_loans_v1_20261205.pdf"]);
    expect(created).toHaveLength(1);
    const sent = calls.find((c) => c.path === `/v1/reports/${pdfReport.id}/download`)!;
    expect(new Headers(sent.init!.headers).get("authorization")).toBe(`Bearer ${KEY}`);

    fireEvent.click(within(rowOf(tampered.id)).getByRole("button", { name: /^Download JSON/ }));
    expect((await within(rowOf(tampered.id)).findByRole("alert")).textContent).toBe("The downloaded file's SHA-256 differs from the report's.");
    expect(names).toEqual(["vigil_drift_loans_v1_20261205.pdf", "x.json"]);
    click.mockRestore();
  });

  it("generates a report: the production version picked, the button disabled with progress while the server works, then the new row on top", async () => {
    let finish: (r: Response) => void = () => undefined;
    const posted: unknown[] = [];
    const fresh = report({ id: "00000000-0000-4000-8000-000000000009", created_at: "2026-12-05T13:00:00.000Z", sha256: "e".repeat(64) });
    start({
      "/v1/reports": (init) => {
        if (init?.method !== "POST") return Response.json({ items: [htmlReport], next_cursor: null });
        posted.push(JSON.parse(String(init.body)));
        return new Promise<Response>((resolve) => (finish = resolve));
      },
    });
    await screen.findByRole("table", { name: "Reports" }, { timeout: 10_000 });
    await waitFor(() => expect((screen.getByTestId("report-version") as HTMLSelectElement).value).toBe("v1"));
    fireEvent.click(screen.getByLabelText("PDF"));
    fireEvent.submit(screen.getByRole("form", { name: "Generate a report" }));
    const button = await screen.findByRole("button", { name: "Generating…" });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("report-progress").textContent).toContain("Generating drift report…");
    expect(posted).toHaveLength(1);
    const body = posted[0] as Record<string, string>;
    expect(body).toMatchObject({ kind: "drift", model: "loans", version: "v1", format: "pdf" });
    expect(Date.parse(body.to!) - Date.parse(body.from!)).toBe(86_400_000);
    expect(Math.abs(Date.parse(body.to!) - Date.now())).toBeLessThan(10_000);
    // A second submit while generating sends nothing.
    fireEvent.submit(screen.getByRole("form", { name: "Generate a report" }));
    expect(posted).toHaveLength(1);

    finish(Response.json({ ...fresh, format: "pdf" }, { status: 201 }));
    await waitFor(() => expect(rowOf(fresh.id)).toBeTruthy());
    const rows = screen.getByRole("table", { name: "Reports" }).querySelectorAll("tbody tr");
    expect(rows[0]!.getAttribute("data-report")).toBe(fresh.id);
    expect(screen.getByRole("button", { name: "Generate report" })).toBeTruthy();
    expect(screen.getByTestId("report-outcome").textContent).toBe("Report generated in 850 ms.");
  });

  it("shows the API's refusals under the field they name, and a 403 on a compliance kind as the admin role it needs", async () => {
    const answers: Response[] = [
      Response.json({ error: { code: "range_out_of_retention", message: "from: is before …", details: [{ field: "from", error: "is before 2026-11-20T00:00:00.000Z, the oldest raw events retention kept; start the report there or later" }] } }, { status: 422 }),
      Response.json({ error: { code: "not_found", message: "model loans has no version v2" } }, { status: 404 }),
      Response.json({ error: { code: "forbidden", message: 'user ada@vigil.test lacks the "admin" scope on this project' } }, { status: 403 }),
    ];
    start({ "/v1/reports": (init) => (init?.method === "POST" ? answers.shift()! : Response.json({ items: [], next_cursor: null })) });
    await screen.findByText(/No reports yet/, {}, { timeout: 10_000 });
    await waitFor(() => expect((screen.getByTestId("report-version") as HTMLSelectElement).value).toBe("v1"));
    const form = screen.getByRole("form", { name: "Generate a report" });

    fireEvent.change(screen.getByTestId("report-range"), { target: { value: "30d" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("report-range-error")).textContent).toBe("from: is before 2026-11-20T00:00:00.000Z, the oldest raw events retention kept; start the report there or later");
    expect(screen.queryByRole("alert")).toBeNull();

    fireEvent.change(screen.getByTestId("report-version"), { target: { value: "v2" } });
    fireEvent.submit(form);
    expect((await screen.findByRole("alert")).textContent).toContain("model loans has no version v2");
    expect(screen.queryByTestId("report-range-error")).toBeNull();

    fireEvent.change(screen.getByTestId("report-kind"), { target: { value: "audit-trail" } });
    expect(screen.queryByTestId("report-version")).toBeNull();
    fireEvent.change(screen.getByTestId("report-scope"), { target: { value: "project" } });
    await waitFor(() => expect((screen.getByTestId("report-project") as HTMLSelectElement).value).toBe("default"));
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("need the admin role"));
    expect(screen.getByRole("alert").textContent).toContain('lacks the "admin" scope');
  });

  it("checks a custom range before sending it", async () => {
    const posted: unknown[] = [];
    start({ "/v1/reports": (init) => (init?.method === "POST" ? (posted.push(init.body), Response.json({}, { status: 500 })) : Response.json({ items: [], next_cursor: null })) });
    await screen.findByText(/No reports yet/, {}, { timeout: 10_000 });
    fireEvent.change(screen.getByTestId("report-range"), { target: { value: "custom" } });
    fireEvent.input(screen.getByTestId("report-from"), { target: { value: "2026-12-05T10:00" } });
    fireEvent.input(screen.getByTestId("report-to"), { target: { value: "2026-12-05T09:00" } });
    await waitFor(() => expect((screen.getByTestId("report-version") as HTMLSelectElement).value).toBe("v1"));
    fireEvent.submit(screen.getByRole("form", { name: "Generate a report" }));
    expect((await screen.findByTestId("report-to-error")).textContent).toBe("must be after from");
    expect(screen.getByTestId("report-to").getAttribute("aria-invalid")).toBe("true");
    expect(posted).toHaveLength(0);
  });

  it("reads older pages with the cursor", async () => {
    const older = report({ id: "00000000-0000-4000-8000-000000000007", created_at: "2026-12-01T00:00:00.000Z" });
    start({
      "/v1/reports?limit=25": () => Response.json({ items: [htmlReport], next_cursor: "c1" }),
      "/v1/reports?limit=25&cursor=c1": () => Response.json({ items: [older], next_cursor: null }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Load older reports" }, { timeout: 10_000 }));
    await waitFor(() => expect(rowOf(older.id)).toBeTruthy());
    expect(rowOf(htmlReport.id)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Load older reports" })).toBeNull();
  });
});

describe("Report schedules", () => {
  const schedule = {
    id: "5c000000-0000-4000-8000-000000000001", name: "Weekly drift for risk", kind: "drift", format: "pdf", project: "default", model: "loans", version: "v1", cron: "0 7 * * 1", range: "P7D", range_hours: 168,
    channels: ["c1"], enabled: true, created_by: { type: "user", id: "ada@vigil.test" }, created_at: "2026-12-01T00:00:00.000Z", updated_at: "2026-12-01T00:00:00.000Z", next_run_at: "2026-12-07T07:00:00.000Z", last_run_at: "2026-11-30T07:00:00.000Z", last_report_id: null, last_error: null,
  };

  it("lists schedules with the cron in words, channel names, next and last run, pauses one and deletes one after asking", async () => {
    const changes: unknown[] = [];
    vi.stubGlobal("confirm", () => true);
    let list: Record<string, unknown>[] = [schedule];
    start({
      "/v1/reports": () => Response.json({ items: [], next_cursor: null }),
      "/v1/report-schedules": () => Response.json({ items: list, next_cursor: null }),
      [`/v1/report-schedules/${schedule.id}`]: (init) => {
        changes.push([init?.method, init?.body ? JSON.parse(String(init.body)) : null]);
        if (init?.method === "PATCH") return Response.json((list = [{ ...schedule, enabled: false, next_run_at: null }])[0]);
        list = [];
        return new Response(null, { status: 204 });
      },
    });
    const table = await screen.findByRole("table", { name: "Report schedules" }, { timeout: 10_000 });
    const row = within(table.querySelector(`tr[data-schedule="${schedule.id}"]`) as HTMLElement);
    expect(row.getByTestId("cron-hint").textContent).toBe("at 07:00 UTC on Monday");
    expect(row.getByText("risk-team")).toBeTruthy();
    expect(row.getByText("7 d")).toBeTruthy();
    expect(row.getByText("2026-12-07 07:00 UTC")).toBeTruthy();
    expect(row.getByText("2026-11-30 07:00 UTC")).toBeTruthy();
    expect(row.getByText("Weekly drift for risk")).toBeTruthy();
    fireEvent.click(row.getByRole("button", { name: "Pause schedule Weekly drift for risk" }));
    await screen.findByText("paused");
    fireEvent.click(screen.getByRole("button", { name: "Delete schedule Weekly drift for risk" }));
    await screen.findByText("No schedules yet.");
    expect(changes).toEqual([["PATCH", { enabled: false }], ["DELETE", null]]);
  });

  it("creates a schedule with the cron's meaning shown as it is typed, and names a refused field", async () => {
    const posted: Record<string, unknown>[] = [];
    start({
      "/v1/reports": () => Response.json({ items: [], next_cursor: null }),
      "/v1/report-schedules": (init) => {
        if (init?.method !== "POST") return Response.json({ items: [], next_cursor: null });
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        posted.push(body);
        if (body.format === "json") return Response.json({ error: { code: "validation_failed", message: "channels.0: …", details: [{ field: "channels.0", error: "no such channel in this org" }] } }, { status: 400 });
        return Response.json({ ...schedule, ...body, id: "5c000000-0000-4000-8000-000000000002" }, { status: 201 });
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "New schedule…" }, { timeout: 10_000 }));
    const form = screen.getByRole("form", { name: "New report schedule" });
    await waitFor(() => expect((within(form).getByTestId("schedule-version") as HTMLSelectElement).value).toBe("v1"));
    fireEvent.input(within(form).getByTestId("schedule-cron"), { target: { value: "0 7 *" } });
    expect(within(form).getByTestId("schedule-cron-error").textContent).toContain("5 fields");
    fireEvent.input(within(form).getByTestId("schedule-cron"), { target: { value: "30 6 * * 1-5" } });
    expect(within(form).getByTestId("schedule-cron-hint").textContent).toMatch(/^Runs at 06:30 UTC on Monday to Friday; next \d{4}-\d\d-\d\d 06:30 UTC\.$/);
    fireEvent.click(within(form).getByLabelText("risk-team (slack)"));
    expect(within(form).queryByLabelText("retrain-hook (retrain)")).toBeNull();
    fireEvent.change(within(form).getByTestId("schedule-format"), { target: { value: "json" } });
    fireEvent.submit(form);
    expect(await within(form).findByText("channels.0: no such channel in this org")).toBeTruthy();
    fireEvent.change(within(form).getByTestId("schedule-format"), { target: { value: "pdf" } });
    fireEvent.change(within(form).getByTestId("schedule-range"), { target: { value: "P7D" } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.queryByRole("form", { name: "New report schedule" })).toBeNull());
    expect(posted[0]).not.toHaveProperty("range");
    expect(posted[1]).toEqual({ kind: "drift", model: "loans", version: "v1", cron: "30 6 * * 1-5", format: "pdf", channels: ["c1"], range: "P7D" });
  });
});
