import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useAppState } from "../state/app-state.ts";
import { signOut } from "../state/actions.ts";
import { Nav } from "./Nav.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";

/** Sidebar navigation, a skip link, and the main region that takes focus on each navigation. */
export function AppShell({ children }: { children: ComponentChildren }) {
  const state = useAppState();
  const route = state.route.value;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Move focus to the new page for keyboard and screen-reader users, but not on first load.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);
  const creds = state.credentials.value;
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <aside class="sidebar">
        <a class="brand" href="#/">
          <span class="brand-dot" aria-hidden="true" />
          Vigil
        </a>
        <Nav route={route} />
        <div class="sidebar-foot">
          <ThemeToggle />
          {creds && (
            <>
              <span class="muted mono" title={creds.kind === "key" ? "Signed in with this API key" : "Signed in"}>
                {creds.kind === "key" ? `${creds.key.slice(0, 12)}…` : creds.email}
              </span>
              <button type="button" onClick={() => signOut(state, globalThis.sessionStorage)}>
                Sign out
              </button>
            </>
          )}
          <span class="muted">
            <a href="/docs">API docs</a> · <a href="/redoc">ReDoc</a>
          </span>
        </div>
      </aside>
      <main id="main" class="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
