import { describe, expect, it } from "vitest";
import { hrefFor, parseRoute, type Route } from "./routes.ts";

describe("routes", () => {
  it.each<[string, Route]>([
    ["", { page: "overview" }],
    ["#/", { page: "overview" }],
    ["#/models/credit-risk/v3", { page: "model", model: "credit-risk", version: "v3" }],
    ["#/models/a%20b/v%2F1", { page: "model", model: "a b", version: "v/1" }],
    ["#/alerts", { page: "alerts" }],
    ["#/alerts/42", { page: "alerts", alert: "42" }],
    ["#/manage/keys", { page: "management", tab: "keys" }],
    ["#/reports", { page: "reports" }],
    ["#/analytics/", { page: "analytics" }],
    ["#/models/only-model", { page: "not-found", path: "/models/only-model" }],
    ["#/nope", { page: "not-found", path: "/nope" }],
  ])("parses %s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("round-trips every route through its href, including names that need escaping", () => {
    const routes: Route[] = [
      { page: "overview" },
      { page: "model", model: "fraud detector", version: "2024/11" },
      { page: "alerts", alert: "a:1" },
      { page: "management", tab: "channels" },
    ];
    for (const r of routes) expect(parseRoute(hrefFor(r))).toEqual(r);
  });
});
