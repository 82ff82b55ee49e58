import { useEffect } from "preact/hooks";
import { AppShell } from "./components/AppShell.tsx";
import { lazyPage } from "./components/LazyPage.tsx";
import { Link } from "./components/Link.tsx";
import { SocketContext } from "./live/use-live-room.ts";
import type { SocketFactory } from "./live/connection.ts";
import { AnalyticsPage } from "./pages/Analytics/index.tsx";
import { OverviewPage } from "./pages/Overview/index.tsx";
import { SignInPage } from "./pages/SignIn/index.tsx";
import { hrefFor, parseRoute } from "./router/routes.ts";
import { restoreSession } from "./state/actions.ts";
import { AppStateContext, type AppState } from "./state/app-state.ts";
import { Skeleton } from "./components/Skeleton.tsx";

// Pages with charts or forms load on first visit, keeping the first load small.
const ModelDetailPage = lazyPage(() => import("./pages/ModelDetail/index.tsx").then((m) => m.ModelDetailPage));
const AlertsPage = lazyPage(() => import("./pages/Alerts/index.tsx").then((m) => m.AlertsPage));
const ManagementPage = lazyPage(() => import("./pages/Management/index.tsx").then((m) => m.ManagementPage));
const ReportsPage = lazyPage(() => import("./pages/Reports/index.tsx").then((m) => m.ReportsPage));

function CurrentPage({ state }: { state: AppState }) {
  const route = state.route.value;
  if (!state.authChecked.value) return <Skeleton lines={4} label="Checking sign-in" />;
  if (!state.signedIn.value) return <SignInPage />;
  switch (route.page) {
    case "overview":
      return <OverviewPage />;
    case "model":
      return <ModelDetailPage model={route.model} version={route.version} />;
    case "alerts":
      return <AlertsPage selected={route.alert} />;
    case "management":
      return <ManagementPage tab={route.tab} />;
    case "reports":
      return <ReportsPage />;
    case "analytics":
      return <AnalyticsPage />;
    case "not-found":
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. Go to the <Link to={{ page: "overview" }}>Overview</Link>.
          </p>
        </section>
      );
  }
}

/** The dashboard: state by context, hash routing, theme on <html>, sockets from `sockets`. */
export function App({ state, sockets }: { state: AppState; sockets?: SocketFactory }) {
  useEffect(() => {
    const onHash = () => {
      const next = parseRoute(location.hash);
      // Same page (e.g. the first read on load): keep the object, so nothing re-renders or steals focus.
      if (hrefFor(next) !== hrefFor(state.route.value)) state.route.value = next;
    };
    onHash();
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, [state]);
  useEffect(() => void restoreSession(state), [state]);
  const theme = state.theme.value;
  useEffect(() => {
    if (theme === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <AppStateContext.Provider value={state}>
      <SocketContext.Provider value={sockets ?? null}>
        <AppShell>
          <CurrentPage state={state} />
        </AppShell>
      </SocketContext.Provider>
    </AppStateContext.Provider>
  );
}
