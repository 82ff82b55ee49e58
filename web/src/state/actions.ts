import { listAlerts } from "../api/alerts.ts";
import { ApiRequestError, describeError } from "../api/errors.ts";
import { listModels, listVersions } from "../api/registry.ts";
import { currentSession, endSession, signInWithPassword } from "../api/sessions.ts";
import { KEY_STORAGE, THEME_STORAGE, type AppState, type ModelRow, type Storage, type ThemeChoice } from "./app-state.ts";

// The functions that change the app state. Components call these; none of them touch the DOM.

const KEY_PATTERN = /^vgl_[0-9a-f]{8}_\S+$/;

/** Accepts a pasted API key; returns a message for the form when it cannot be one. */
export function signInWithKey(state: AppState, key: string, session?: Storage): string | null {
  const trimmed = key.trim();
  if (!KEY_PATTERN.test(trimmed)) return "An API key looks like vgl_1a2b3c4d_… (the admin key `npm start` prints).";
  state.credentials.value = { kind: "key", key: trimmed };
  session?.setItem(KEY_STORAGE, trimmed);
  return null;
}

/** Forgets the key, or ends the cookie session on the server too. */
export function signOut(state: AppState, session?: Storage) {
  if (state.credentials.value?.kind === "session") void endSession(state.api).catch(() => undefined);
  state.credentials.value = null;
  session?.removeItem(KEY_STORAGE);
  state.registry.value = { state: "idle" };
}

/** Picks up a cookie session (from a password sign-in or `npm start`'s login link) when no key is stored. */
export async function restoreSession(state: AppState): Promise<void> {
  if (state.credentials.value) {
    state.authChecked.value = true;
    return;
  }
  try {
    const s = await currentSession(state.api);
    if (s.kind === "user" && s.csrfToken) state.credentials.value = { kind: "session", csrfToken: s.csrfToken, email: s.email ?? "" };
  } catch {
    // 401: nobody signed in; the sign-in page shows.
  } finally {
    state.authChecked.value = true;
  }
}

/** Email and password sign-in; returns the message to show when it fails. */
export async function signInWithEmail(state: AppState, email: string, password: string): Promise<string | null> {
  try {
    const s = await signInWithPassword(state.api, email.trim(), password);
    if (!s.csrfToken) return "the server started no session";
    state.credentials.value = { kind: "session", csrfToken: s.csrfToken, email: s.email ?? email };
    return null;
  } catch (err) {
    return describeError(err);
  }
}

export function setTheme(state: AppState, theme: ThemeChoice, local?: Storage) {
  state.theme.value = theme;
  if (theme === "system") local?.removeItem(THEME_STORAGE);
  else local?.setItem(THEME_STORAGE, theme);
}

export function cycleTheme(current: ThemeChoice): ThemeChoice {
  return current === "system" ? "dark" : current === "dark" ? "light" : "system";
}

/** The key the user signed in with, for copy-paste examples; null under a cookie session. */
export function currentKey(state: AppState): string | null {
  const c = state.credentials.value;
  return c?.kind === "key" ? c.key : null;
}

function previous(state: AppState): ModelRow[] | undefined {
  const r = state.registry.value;
  return r.state === "ready" ? r.data : r.state === "loading" || r.state === "error" ? r.previous : undefined;
}

/** Loads every model and its versions. A 401 signs the user out, since the key no longer works. */
export async function loadRegistry(state: AppState, session?: Storage, signal?: AbortSignal): Promise<void> {
  const prev = previous(state);
  state.registry.value = prev ? { state: "loading", previous: prev } : { state: "loading" };
  try {
    const models = await listModels(state.api, signal);
    const versions = await Promise.all(models.map((m) => listVersions(state.api, m.name, signal)));
    const rows: ModelRow[] = models.flatMap((model, i) => (versions[i] ?? []).map((version) => ({ model, version })));
    state.registry.value = { state: "ready", data: rows };
    state.registryAvailable.value = true;
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") return;
    if (err instanceof ApiRequestError && err.status === 404 && err.code === "not_found" && !prev?.length) {
      // An older server without the registry: show the getting-started state, and say why.
      state.registryAvailable.value = false;
      state.registry.value = { state: "ready", data: [] };
      return;
    }
    if (err instanceof ApiRequestError && err.status === 401) {
      signOut(state, session);
      return;
    }
    state.registry.value = prev ? { state: "error", message: describeError(err), previous: prev } : { state: "error", message: describeError(err) };
  }
}

/** Counts open alerts per model version for the overview; quietly empty while the alerts API is absent. */
export async function loadOpenAlertCounts(state: AppState, signal?: AbortSignal): Promise<void> {
  try {
    const alerts = await listAlerts(state.api, { status: "open" }, signal);
    const counts: Record<string, number> = {};
    for (const a of alerts) counts[`${a.model}:${a.version}`] = (counts[`${a.model}:${a.version}`] ?? 0) + 1;
    state.openAlerts.value = counts;
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 404) return;
    if (err instanceof DOMException && err.name === "AbortError") return;
    throw err;
  }
}
