import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App.tsx";
import { createAppState, KEY_STORAGE } from "./state/app-state.ts";
import { fakeSockets, memoryStorage, routeFetch } from "./testing/fake-socket.ts";
import { snapshot, update } from "./testing/messages.ts";

const KEY = "vgl_0123abcd_secretsecret";

const models = { items: [{ name: "credit-risk", project: "default", description: "", prediction_kind: "binary", created_at: "2026-11-01T00:00:00Z" }], next_cursor: null };
const v3 = {
  model: "credit-risk",
  version: "v3",
  stage: "production",
  prediction_kind: "binary",
  description: "",
  created_at: "2026-11-01T00:00:00Z",
  feature_schema: [{ name: "income", kind: "numerical", dtype: "float" }],
  links: { git_commit: "abc123" },
  active_baseline: null,
};
const versions = { items: [v3], next_cursor: null };

beforeEach(() => {
  location.hash = "";
  sessionStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function start(routes: Parameters<typeof routeFetch>[0], opts: { signedIn?: boolean } = {}) {
  const { fn, calls } = routeFetch(routes);
  vi.stubGlobal("fetch", fn);
  const session = memoryStorage(opts.signedIn === false ? {} : { [KEY_STORAGE]: KEY });
  const state = createAppState({ session });
  const live = fakeSockets();
  render(<App state={state} sockets={live.factory} />);
  return { state, calls, live, session };
}

describe("dashboard", () => {
  it("asks for a key, rejects one that cannot be a key, and after sign-in shows the first-ingest curl with that key", async () => {
    const { calls } = start({ "/v1/models": () => Response.json({ items: [], next_cursor: null }) }, { signedIn: false });
    const input = await screen.findByLabelText("API key");
    fireEvent.input(input, { target: { value: "not-a-key" } });
    fireEvent.submit(input.closest("form")!);
    expect(screen.getByRole("alert").textContent).toContain("vgl_");

    fireEvent.input(screen.getByLabelText("API key"), { target: { value: KEY } });
    fireEvent.submit(screen.getByLabelText("API key").closest("form")!);
    const curl = await screen.findByTestId("curl-example");
    expect(curl.textContent).toContain(`Authorization: Bearer ${KEY}`);
    expect(curl.textContent).toContain("/v1/ingest");
    expect(sessionStorage.getItem(KEY_STORAGE)).toBe(KEY);
    const modelCall = calls.find((c) => c.path.startsWith("/v1/models"));
    expect(new Headers(modelCall?.init?.headers).get("authorization")).toBe(`Bearer ${KEY}`);
  });

  it("shows the server's error message and retries", async () => {
    let fail = true;
    start({
      "/v1/models": () =>
        fail ? Response.json({ error: { code: "internal", message: "database unreachable" } }, { status: 503 }) : Response.json({ items: [], next_cursor: null }),
    });
    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("database unreachable");
    fail = false;
    fireEvent.click(within(banner).getByRole("button", { name: "Retry" }));
    await screen.findByTestId("curl-example");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("signs out when the API says the key no longer works", async () => {
    const { state } = start({ "/v1/models": () => Response.json({ error: { code: "unauthorized", message: "API key revoked" } }, { status: 401 }) });
    await screen.findByLabelText("API key");
    expect(state.credentials.value).toBeNull();
  });

  it("lists a model and updates its live numbers from the socket", async () => {
    const { live } = start({ "/v1/models": () => Response.json(models), "/v1/models/credit-risk/versions": () => Response.json(versions) });
    const row = await screen.findByTestId("model-row-credit-risk-v3");
    expect(within(row).getByText("production")).toBeTruthy();
    expect(within(row).getByText("No data")).toBeTruthy();
    const socket = live.sockets.find((s) => s.room === "credit-risk:v3")!;
    socket.open();
    socket.receive(snapshot("credit-risk", "v3"));
    await waitFor(() => expect(within(row).getByTestId("event-rate").textContent).toBe("10/s"));
    // one of three features drifted: a warning, not yet dataset drift
    expect(within(row).getByText("Warning")).toBeTruthy();
    expect(within(row).getByTestId("drift-share").textContent).toBe("33%");
    socket.receive(update(1, 250));
    await waitFor(() => expect(within(row).getByTestId("event-rate").textContent).toBe("250/s"));
    expect(within(row).getByText("Drifting")).toBeTruthy();
    expect(screen.getByTestId("summary-attention").textContent).toBe("1");
  });

  it("reports a socket message that breaks the protocol instead of trusting it", async () => {
    location.hash = "#/models/credit-risk/v3";
    const { live, state } = start({ "/v1/models/credit-risk/versions/v3": () => Response.json(v3) });
    await waitFor(() => expect(live.sockets.length).toBe(1), { timeout: 10_000 });
    live.sockets[0]!.receive({ type: "update", tick: "one" });
    await screen.findByText(/did not match the protocol/);
    expect(state.rooms.get("credit-risk:v3")?.snapshot.value).toBeNull();
  });

  it("navigates by hash, marks the current page, and closes sockets when leaving", async () => {
    const { live } = start({ "/v1/models": () => Response.json(models), "/v1/models/credit-risk/versions": () => Response.json(versions) });
    await screen.findByTestId("model-row-credit-risk-v3");
    expect(screen.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");
    location.hash = "#/reports";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await screen.findByRole("heading", { name: "Reports" });
    expect(screen.getByRole("link", { name: "Reports" }).getAttribute("aria-current")).toBe("page");
    expect(live.sockets.every((s) => s.closed)).toBe(true);
  });

  it("switches theme and remembers the choice", async () => {
    start({ "/v1/models": () => Response.json({ items: [], next_cursor: null }) });
    const button = screen.getByRole("button", { name: /Theme: System/ });
    fireEvent.click(button);
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(localStorage.getItem("vigil.theme")).toBe("dark");
    fireEvent.click(screen.getByRole("button", { name: /Theme: Dark/ }));
    expect(document.documentElement.dataset.theme).toBe("light");
    fireEvent.click(screen.getByRole("button", { name: /Theme: Light/ }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe("sessions", () => {
  const session = (csrf: string) => ({ kind: "user", org: { id: "o", slug: "local" }, user: { id: "u", email: "ada@example.com" }, role: "admin", scopes: [], csrf_token: csrf, expires_at: null });

  it("picks up a cookie session on load (a login link) and signs out through the API", async () => {
    const { calls } = start(
      {
        "/v1/sessions": (init) => (init?.method === "DELETE" ? new Response(null, { status: 204 }) : Response.json(session("csrf-1"))),
        "/v1/models": () => Response.json({ items: [], next_cursor: null }),
      },
      { signedIn: false },
    );
    await screen.findByTestId("curl-example");
    expect(screen.getByText("ada@example.com")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByLabelText("Email");
    const del = calls.find((c) => c.init?.method === "DELETE");
    expect(new Headers(del?.init?.headers).get("x-csrf-token")).toBe("csrf-1");
    expect(new Headers(del?.init?.headers).get("authorization")).toBeNull();
  });

  it("signs in with email and password, shows the server's refusal, and sends the CSRF token on writes", async () => {
    let attempts = 0;
    const { state, calls } = start(
      {
        "/v1/sessions": (init) => {
          if (init?.method !== "POST") return Response.json({ error: { code: "unauthorized", message: "missing credentials" } }, { status: 401 });
          attempts++;
          return attempts === 1 ? Response.json({ error: { code: "unauthorized", message: "invalid email or password" } }, { status: 401 }) : Response.json(session("csrf-2"), { status: 201 });
        },
        "/v1/models": (init) => (init?.method === "POST" ? Response.json({ error: { code: "conflict", message: "exists" } }, { status: 409 }) : Response.json({ items: [], next_cursor: null })),
      },
      { signedIn: false },
    );
    fireEvent.input(await screen.findByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "wrong" } });
    fireEvent.submit(screen.getByRole("form", { name: "Sign in with email and password" }));
    expect((await screen.findByRole("alert")).textContent).toBe("invalid email or password");
    fireEvent.submit(screen.getByRole("form", { name: "Sign in with email and password" }));
    await screen.findByTestId("curl-example");
    await state.api.send("POST", "/v1/models", { name: "x" }, (v) => v).catch(() => undefined);
    const write = calls.filter((c) => c.path === "/v1/models" && c.init?.method === "POST").pop();
    expect(new Headers(write?.init?.headers).get("x-csrf-token")).toBe("csrf-2");
  });
});
