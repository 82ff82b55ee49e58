import type { Route } from "../router/routes.ts";
import { Link } from "./Link.tsx";

const ITEMS: { label: string; to: Route; pages: Route["page"][] }[] = [
  { label: "Overview", to: { page: "overview" }, pages: ["overview", "model"] },
  { label: "Alerts", to: { page: "alerts" }, pages: ["alerts"] },
  { label: "Management", to: { page: "management" }, pages: ["management"] },
  { label: "Reports", to: { page: "reports" }, pages: ["reports"] },
  { label: "Analytics", to: { page: "analytics" }, pages: ["analytics"] },
];

export function Nav({ route }: { route: Route }) {
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.label}>
            <Link to={item.to} current={item.pages.includes(route.page)}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
