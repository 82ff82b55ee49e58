import { computed, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { createApiClient, type ApiClient, type Credentials } from "../api/client.ts";
import type { ModelSummary, VersionSummary } from "../api/registry.ts";
import { parseRoute, type Route } from "../router/routes.ts";
import { createLiveRoom, roomName, type LiveRoom } from "./live-room.ts";
import type { ModelStatus } from "./live-types.ts";
import { statusRank } from "./status.ts";

export type ThemeChoice = "system" | "light" | "dark";

export type Loadable<T> = { state: "idle" } | { state: "loading"; previous?: T } | { state: "ready"; data: T } | { state: "error"; message: string; previous?: T };

export interface ModelRow {
  model: ModelSummary;
  version: VersionSummary;
}

export interface OverviewFilter {
  project: string;
  stage: string;
  status: ModelStatus | "";
  search: string;
}

export type OverviewSort = "status" | "name" | "rate";

export interface AppState {
  credentials: Signal<Credentials>;
  /** Until the first GET /v1/sessions answers, we do not know whether a cookie session exists. */
  authChecked: Signal<boolean>;
  theme: Signal<ThemeChoice>;
  route: Signal<Route>;
  registry: Signal<Loadable<ModelRow[]>>;
  /** False when this server has no registry API yet (GET /v1/models answers 404). */
  registryAvailable: Signal<boolean>;
  filter: Signal<OverviewFilter>;
  sort: Signal<OverviewSort>;
  rooms: Map<string, LiveRoom>;
  /** Bumped when a room is created, so computed values that look rooms up re-run. */
  roomsChanged: Signal<number>;
  /** Open alerts per `<model>:<version>`, from the alerts API when it answers. */
  openAlerts: Signal<Record<string, number>>;
  api: ApiClient;
  signedIn: ReadonlySignal<boolean>;
  projects: ReadonlySignal<string[]>;
  visibleRows: ReadonlySignal<ModelRow[]>;
}

export interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const KEY_STORAGE = "vigil.apiKey";
export const THEME_STORAGE = "vigil.theme";

/** Builds the whole app's state. Tests build their own, with their own storage and location. */
export function createAppState(opts: { session?: Storage; local?: Storage; hash?: string } = {}): AppState {
  const session = opts.session;
  const local = opts.local;
  const savedKey = session?.getItem(KEY_STORAGE);
  const savedTheme = local?.getItem(THEME_STORAGE);
  const credentials = signal<Credentials>(savedKey ? { kind: "key", key: savedKey } : null);
  const registry = signal<Loadable<ModelRow[]>>({ state: "idle" });
  const filter = signal<OverviewFilter>({ project: "", stage: "", status: "", search: "" });
  const sort = signal<OverviewSort>("status");
  const rooms = new Map<string, LiveRoom>();
  const roomsChanged = signal(0);

  const state: AppState = {
    credentials,
    authChecked: signal(savedKey !== null && savedKey !== undefined),
    theme: signal<ThemeChoice>(savedTheme === "light" || savedTheme === "dark" ? savedTheme : "system"),
    route: signal(parseRoute(opts.hash ?? "")),
    registry,
    registryAvailable: signal(true),
    filter,
    sort,
    rooms,
    roomsChanged,
    openAlerts: signal({}),
    api: createApiClient(() => credentials.value),
    signedIn: computed(() => credentials.value !== null),
    projects: computed(() => {
      const r = registry.value;
      return r.state === "ready" ? [...new Set(r.data.map((x) => x.model.project))].sort() : [];
    }),
    visibleRows: computed(() => {
      void roomsChanged.value;
      const r = registry.value;
      const rows = r.state === "ready" ? r.data : r.state === "loading" || r.state === "error" ? (r.previous ?? []) : [];
      const f = filter.value;
      const needle = f.search.trim().toLowerCase();
      const statusOf = (row: ModelRow) => rooms.get(roomName(row.model.name, row.version.version))?.status.value ?? "no_data";
      const rateOf = (row: ModelRow) => rooms.get(roomName(row.model.name, row.version.version))?.snapshot.value?.eventRate ?? 0;
      const kept = rows.filter(
        (row) =>
          (!f.project || row.model.project === f.project) &&
          (!f.stage || row.version.stage === f.stage) &&
          (!f.status || statusOf(row) === f.status) &&
          (!needle || `${row.model.name} ${row.version.version}`.toLowerCase().includes(needle)),
      );
      const byName = (a: ModelRow, b: ModelRow) => a.model.name.localeCompare(b.model.name) || a.version.version.localeCompare(b.version.version);
      const s = sort.value;
      return kept.sort((a, b) =>
        s === "name" ? byName(a, b) : s === "rate" ? rateOf(b) - rateOf(a) || byName(a, b) : statusRank(statusOf(a)) - statusRank(statusOf(b)) || byName(a, b),
      );
    }),
  };
  return state;
}

/** The room for one model version, created on first use and kept for the session. */
export function liveRoom(state: AppState, model: string, version: string): LiveRoom {
  const name = roomName(model, version);
  let room = state.rooms.get(name);
  if (!room) {
    room = createLiveRoom(model, version);
    state.rooms.set(name, room);
    state.roomsChanged.value++;
  }
  return room;
}

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error("useAppState needs an <AppStateContext.Provider> above it");
  return state;
}
