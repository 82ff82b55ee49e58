// What one time slice of traffic adds up to: its event count, the feature windows
// (stats/streaming WindowState, once a baseline exists) and a latency sketch. Minute
// buckets, hour roll-ups and the 5m/1h/24h windows are all Aggregates, merged.
import type { Profile } from "../../stats/profile/schema.ts";
import { KllSketch } from "../../stats/sketch/kll.ts";
import { WindowState } from "../../stats/streaming/window.ts";
import type { MonitorEvent } from "./calls.ts";

const LATENCY_K = 200;

export interface AggregateRow {
  events: number;
  window: Uint8Array | null;
  latency: Uint8Array | null;
}

export class Aggregate {
  events = 0;
  /** Null for traffic that arrived before the current baseline existed. */
  window: WindowState | null;
  latency: KllSketch | null = null;

  constructor(profile: Profile | null) {
    this.window = profile ? new WindowState(profile) : null;
  }

  add(event: MonitorEvent): void {
    this.events++;
    this.window?.updateRow(event.features, event.prediction);
    const ms = event.latency_ms;
    if (ms !== undefined) (this.latency ??= new KllSketch(LATENCY_K)).update(ms);
  }

  /** Counts events whose features were already counted elsewhere (the baseline's own rows). */
  addVolume(event: MonitorEvent): void {
    this.events++;
    const ms = event.latency_ms;
    if (ms !== undefined) (this.latency ??= new KllSketch(LATENCY_K)).update(ms);
  }

  merge(other: Aggregate): void {
    this.events += other.events;
    if (this.window && other.window && other.window.profile === this.window.profile) this.window.merge(other.window);
    if (other.latency) (this.latency ??= new KllSketch(LATENCY_K)).merge(other.latency);
  }

  toRow(): AggregateRow {
    return { events: this.events, window: this.window?.toBytes() ?? null, latency: this.latency?.toBytes() ?? null };
  }

  /** Reads a stored row; a window stored against another profile is dropped. */
  static fromRow(row: AggregateRow, profile: Profile | null): Aggregate {
    const out = new Aggregate(null);
    out.events = row.events;
    if (profile && row.window) {
      try {
        out.window = WindowState.fromBytes(row.window, profile);
      } catch {
        out.window = null;
      }
    }
    if (row.latency) out.latency = KllSketch.fromBytes(row.latency);
    return out;
  }

  static mergeAll(profile: Profile | null, parts: Iterable<Aggregate | undefined>): Aggregate {
    const out = new Aggregate(profile);
    for (const part of parts) if (part) out.merge(part);
    return out;
  }
}
