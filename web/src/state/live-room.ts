import { computed, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import { WINDOWS, type HistoryPoint, type LiveSnapshot, type ModelStatus, type WindowName } from "./live-types.ts";
import { statusOf } from "./status.ts";

export type ConnectionState = "connecting" | "connected" | "disconnected";

/** Points kept for the live tail: at one update a second, ten minutes. */
export const HISTORY_LIMIT = 600;

/** The live view of one model version (one Durable Object room). */
export interface LiveRoom {
  readonly model: string;
  readonly version: string;
  readonly connection: Signal<ConnectionState>;
  readonly error: Signal<string | null>;
  readonly snapshot: Signal<LiveSnapshot | null>;
  /** Per scoring window, the points received since the page opened (the live tail). */
  readonly history: Signal<Record<WindowName, HistoryPoint[]>>;
  /** When the last message arrived (client clock), for "updated 2 s ago". */
  readonly receivedAt: Signal<number | null>;
  readonly status: ReadonlySignal<ModelStatus>;
  readonly eventRateText: ReadonlySignal<string>;
  readonly driftShareText: ReadonlySignal<string>;
  /** Events per minute over the last hour, for sparklines. */
  readonly rateSeries: ReadonlySignal<number[]>;
}

export function roomName(model: string, version: string): string {
  return `${model}:${version}`;
}

export function createLiveRoom(model: string, version: string): LiveRoom {
  const snapshot = signal<LiveSnapshot | null>(null);
  const history = signal<Record<WindowName, HistoryPoint[]>>({ "5m": [], "1h": [], "24h": [] });
  return {
    model,
    version,
    connection: signal<ConnectionState>("connecting"),
    error: signal<string | null>(null),
    snapshot,
    history,
    receivedAt: signal<number | null>(null),
    status: computed(() => statusOf(snapshot.value)),
    eventRateText: computed(() => formatRate(snapshot.value?.eventRate ?? null)),
    driftShareText: computed(() => formatShare(snapshot.value?.windows["5m"]?.driftShare ?? null)),
    // Per-minute volume over the last hour: there from the first message, unlike the live tail.
    rateSeries: computed(() => (snapshot.value?.volume ?? []).map((p) => p.events)),
  };
}

/** Applies one update: the latest snapshot, and a history point per window appended to its ring. */
export function applySnapshot(room: LiveRoom, next: LiveSnapshot, now = Date.now()) {
  room.snapshot.value = next;
  room.receivedAt.value = now;
  room.error.value = null;
  const prev = room.history.value;
  const out = { ...prev };
  for (const window of WINDOWS) out[window] = appendPoint(prev[window], pointFor(next, window));
  room.history.value = out;
}

function pointFor(next: LiveSnapshot, window: WindowName): HistoryPoint {
  const w = next.windows[window];
  return {
    t: next.at,
    eventRate: next.eventRate,
    driftShare: w?.driftShare ?? null,
    predictionScore: w?.prediction?.score ?? null,
    p50: w?.latency?.p50 ?? null,
    p95: w?.latency?.p95 ?? null,
    p99: w?.latency?.p99 ?? null,
    performance: w?.performance?.value ?? null,
    features: Object.fromEntries((w?.features ?? []).map((f) => [f.feature, f.score])),
  };
}

function appendPoint(prev: HistoryPoint[], point: HistoryPoint): HistoryPoint[] {
  // A reconnect replays the current state; never chart the same instant twice or go back in time.
  const last = prev[prev.length - 1];
  const base = last && last.t >= point.t ? prev.filter((p) => p.t < point.t) : prev;
  const appended = [...base, point];
  return appended.length > HISTORY_LIMIT ? appended.slice(appended.length - HISTORY_LIMIT) : appended;
}

export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  if (rate >= 1000) return `${(rate / 1000).toFixed(1)}k/s`;
  if (rate >= 10) return `${Math.round(rate)}/s`;
  return `${rate.toFixed(1)}/s`;
}

export function formatShare(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}
