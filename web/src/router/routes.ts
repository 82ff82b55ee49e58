// The dashboard's routes live in the URL hash (`#/models/credit-risk/v3`), so a reload or a
// shared link lands on the same page and the Worker serves one index.html for all of them.

export type Route =
  | { page: "overview" }
  | { page: "model"; model: string; version: string }
  | { page: "alerts"; alert?: string }
  | { page: "management"; tab?: string }
  | { page: "reports" }
  | { page: "analytics" }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const parts = path === "" ? [] : path.split("/").map(safeDecode);
  const [head, a, b] = parts;
  if (!head) return { page: "overview" };
  if (head === "models" && a && b && parts.length === 3) return { page: "model", model: a, version: b };
  if (head === "alerts" && parts.length <= 2) return a ? { page: "alerts", alert: a } : { page: "alerts" };
  if (head === "manage" && parts.length <= 2) return a ? { page: "management", tab: a } : { page: "management" };
  if (head === "reports" && parts.length === 1) return { page: "reports" };
  if (head === "analytics" && parts.length === 1) return { page: "analytics" };
  return { page: "not-found", path: `/${path}` };
}

export function hrefFor(route: Route): string {
  const e = encodeURIComponent;
  switch (route.page) {
    case "overview":
      return "#/";
    case "model":
      return `#/models/${e(route.model)}/${e(route.version)}`;
    case "alerts":
      return route.alert ? `#/alerts/${e(route.alert)}` : "#/alerts";
    case "management":
      return route.tab ? `#/manage/${e(route.tab)}` : "#/manage";
    case "reports":
      return "#/reports";
    case "analytics":
      return "#/analytics";
    case "not-found":
      return `#${route.path}`;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
