import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App.tsx";
import { createAppState, KEY_STORAGE } from "../../state/app-state.ts";
import { fakeSockets, memoryStorage, routeFetch } from "../../testing/fake-socket.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  location.hash = "";
});

const listed = { id: "k1", name: "payments", prefix: "vgl_aaaabbbb", scopes: ["ingest"], project: null, model: null, created_by: "x", created_at: "2026-11-26T09:00:00Z", last_used_at: null, expires_at: null, revoked_at: null, rotated_from: null };

describe("API keys", () => {
  it("shows a new key once, names the failing field otherwise, and lists keys by prefix", async () => {
    const created: unknown[] = [];
    const { fn } = routeFetch({
      "/v1/models": () => Response.json({ items: [], next_cursor: null }),
      "/v1/keys": (init) => {
        const body = JSON.parse(String(init?.body)) as { name: string };
        created.push(body);
        if (body.name === "bad") return Response.json({ error: { code: "validation_failed", message: "invalid json: name: too short", details: [{ field: "name", error: "too short" }] } }, { status: 400 });
        return Response.json({ ...listed, id: "k2", name: body.name, prefix: "vgl_ccccdddd", key: "vgl_ccccdddd_theSecret" }, { status: 201 });
      },
      "/v1/keys?limit=200": () => Response.json({ items: [listed], next_cursor: null }),
    });
    vi.stubGlobal("fetch", fn);
    location.hash = "#/manage/keys";
    const state = createAppState({ session: memoryStorage({ [KEY_STORAGE]: "vgl_0123abcd_secret" }), hash: location.hash });
    render(<App state={state} sockets={fakeSockets().factory} />);
    await screen.findByText("vgl_aaaabbbb…", {}, { timeout: 10_000 });

    fireEvent.input(screen.getByLabelText("Name"), { target: { value: "bad" } });
    fireEvent.submit(screen.getByRole("form", { name: "Create an API key" }));
    expect((await screen.findByRole("alert")).textContent).toContain("invalid json: name: too short (name)");

    fireEvent.input(screen.getByLabelText("Name"), { target: { value: "batch-scorer" } });
    fireEvent.click(screen.getByLabelText("read"));
    fireEvent.submit(screen.getByRole("form", { name: "Create an API key" }));
    expect((await screen.findByTestId("new-key")).textContent).toBe("vgl_ccccdddd_theSecret");
    expect(created[1]).toEqual({ name: "batch-scorer", scopes: ["ingest", "read"] });
    fireEvent.click(screen.getByRole("button", { name: "I have stored it" }));
    await waitFor(() => expect(screen.queryByTestId("new-key")).toBeNull());
    expect(document.body.textContent).not.toContain("theSecret");
  });
});
