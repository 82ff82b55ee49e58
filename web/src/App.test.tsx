import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "./App.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("App placeholder", () => {
  it("shows the health the API reports", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ status: "ok", postgres: "ok", redis: "disabled", kafka: "disabled", version: "9.9.9" })));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("ok"));
    expect(screen.getByText("9.9.9")).toBeTruthy();
  });

  it("shows an error instead of swallowing it", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => { throw new Error("connection refused"); }));
    render(<App />);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("connection refused"));
  });
});
