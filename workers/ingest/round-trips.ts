// The Worker's own measure of whether a monitor object's queue stays long, for a version's
// "auto" shard mode (issue 23; docs/architecture.md, "Sharded monitors", "The auto mode").
// Pure: one instance per isolate (ingest-round-trip.ts) is fed the round trip of each
// ingest RPC, keyed by object name, and asked for a verdict after each.
//
// Why the round trip: deployed, an object's own clock does not move across its synchronous
// SQLite work (load-tracker.ts's busy share reads about 0 there), but the Worker awaits the
// RPC, which is I/O, so its clock moves across it. An object runs one call at a time; when
// calls arrive faster than it serves them, each waits behind the ones before it, and the
// round trip rises above what the network and the call's own work cost.
//
// The numbers, and why:
// - floor: the lowest round trip over the last 10 minutes, kept as the minimum of each of
//   10 one-minute slots (LEDBAT's "base delay", RFC 6817). Queueing only adds delay, so the
//   minimum is the path's cost with no queue; a far or slow network has a high floor and is
//   not read as load; the oldest minute falls out, so a path that got slower is the new
//   floor within 10 minutes. A fresh isolate's floor is its first round trips: if the object
//   is queued already, this isolate misses it (never a false verdict) and the others do not.
// - margin 250 ms, added (queueing adds a wait whatever the distance; a ratio would ask a
//   far object for a longer queue than a near one): the largest batch (10,000 events, about
//   45 ms of work at docs/benchmarks.md's 4.5 µs per event and 0.5 ms per sub-batch) and the
//   network's jitter stay well below it, so a median that far above the floor is waiting,
//   not work; and 250 ms of wait is a whole tick of the object (TICK_MS) per call: what it
//   shows live is then a tick or more behind its traffic.
// - median over the last 5 s (the busy share's window), of the last 64 calls at most: one
//   slow call (a first batch that registers a shard, a GC pause) is not a long queue. At
//   high rates the 64 calls span less than 5 s; the 30 s below still asks every look to
//   be high. Fewer than 3 calls in the window is not a high look: an isolate that sends an
//   object less than that does not judge it (the isolates that carry its load do).
// - sustained 30 s at every look, then one verdict per 90 s: load-tracker.ts's policy and
//   rule (sustained-verdict.ts), so both signals mean "stays overloaded" alike.
// - memory: 64 samples and 10 floor slots per object (about 1.2 KB), at most 1,000 objects
//   per isolate, the least recently sent to forgotten first (it starts afresh, as in a new
//   isolate).
import { DEFAULT_LOAD_POLICY } from "../../durable/monitor/load-tracker.ts";
import { checkSustainPolicy, SustainedVerdict, type SustainPolicy } from "../../durable/monitor/sustained-verdict.ts";

export interface RoundTripPolicy extends SustainPolicy {
  /** The median is over the round trips that ended this recently. */
  windowMs: number;
  /** A look is high when the median is at least floor + this. */
  marginMs: number;
  /** The floor is the lowest round trip over this span (kept in FLOOR_SLOTS slots). */
  floorSpanMs: number;
  /** A window with fewer round trips than this is not a high look. */
  minSamples: number;
}

export const DEFAULT_ROUND_TRIP_POLICY: Readonly<RoundTripPolicy> = {
  windowMs: DEFAULT_LOAD_POLICY.windowMs,
  marginMs: 250,
  floorSpanMs: 600_000,
  minSamples: 3,
  sustainMs: DEFAULT_LOAD_POLICY.sustainMs,
  coolDownMs: DEFAULT_LOAD_POLICY.coolDownMs,
};

/** Round trips kept per object: the median is over these at most. */
export const MAX_SAMPLES = 64;
const FLOOR_SLOTS = 10;
/** Objects tracked per isolate by default. */
export const MAX_OBJECTS = 1_000;

export function checkRoundTripPolicy(p: RoundTripPolicy): RoundTripPolicy {
  if (!(p.windowMs > 0)) throw new Error(`windowMs must be > 0: ${p.windowMs}`);
  if (!(p.marginMs >= 0)) throw new Error(`marginMs must be >= 0: ${p.marginMs}`);
  if (!(p.floorSpanMs >= FLOOR_SLOTS)) throw new Error(`floorSpanMs must be >= ${FLOOR_SLOTS}: ${p.floorSpanMs}`);
  if (!(Number.isInteger(p.minSamples) && p.minSamples >= 1 && p.minSamples <= MAX_SAMPLES)) throw new Error(`minSamples must be an integer from 1 to ${MAX_SAMPLES}: ${p.minSamples}`);
  return checkSustainPolicy(p);
}

/** One object's round trips as seen by this isolate. */
export class ObjectRoundTrips {
  readonly #policy: RoundTripPolicy;
  /** The last MAX_SAMPLES round trips (end time, ms), written at #recorded modulo the ring's length. */
  readonly #at = new Float64Array(MAX_SAMPLES);
  readonly #rtt = new Float64Array(MAX_SAMPLES);
  #recorded = 0;
  /** The lowest round trip per floor slot (end time / slot width), by slot modulo FLOOR_SLOTS. */
  readonly #floorMin = new Float64Array(FLOOR_SLOTS);
  readonly #floorSlot = new Float64Array(FLOOR_SLOTS).fill(-1);
  readonly #verdict: SustainedVerdict;

  constructor(policy: RoundTripPolicy) {
    this.#policy = policy;
    this.#verdict = new SustainedVerdict(policy);
  }

  /** A round trip of `rttMs` that ended at `at` (Unix ms). */
  record(at: number, rttMs: number): void {
    if (!(rttMs >= 0 && Number.isFinite(rttMs))) return;
    const i = this.#recorded++ % MAX_SAMPLES;
    this.#at[i] = at;
    this.#rtt[i] = rttMs;
    const slot = Math.floor(at / (this.#policy.floorSpanMs / FLOOR_SLOTS));
    const j = slot % FLOOR_SLOTS;
    if (this.#floorSlot[j] !== slot) {
      this.#floorSlot[j] = slot;
      this.#floorMin[j] = rttMs;
    } else if (rttMs < this.#floorMin[j]!) this.#floorMin[j] = rttMs;
  }

  /** The lowest round trip over the floor span up to `now`; null before any. */
  floor(now: number): number | null {
    const current = Math.floor(now / (this.#policy.floorSpanMs / FLOOR_SLOTS));
    let floor: number | null = null;
    for (let j = 0; j < FLOOR_SLOTS; j++) {
      const slot = this.#floorSlot[j]!;
      if (slot > current - FLOOR_SLOTS && slot <= current && (floor === null || this.#floorMin[j]! < floor)) floor = this.#floorMin[j]!;
    }
    return floor;
  }

  /** The median round trip over the window ending at `now`, and how many it is of. */
  median(now: number): { median: number; samples: number } | null {
    const recent: number[] = [];
    for (let i = 0; i < Math.min(this.#recorded, MAX_SAMPLES); i++) {
      const at = this.#at[i]!;
      if (at > now - this.#policy.windowMs && at <= now) recent.push(this.#rtt[i]!);
    }
    if (recent.length === 0) return null;
    recent.sort((a, b) => a - b);
    const mid = recent.length >> 1;
    return { median: recent.length % 2 === 1 ? recent[mid]! : (recent[mid - 1]! + recent[mid]!) / 2, samples: recent.length };
  }

  /** Whether the median stays at least `marginMs` above the floor (one look; sustained-verdict.ts). */
  queued(now: number): boolean {
    const m = this.median(now);
    const floor = this.floor(now);
    const high = m !== null && floor !== null && m.samples >= this.#policy.minSamples && m.median >= floor + this.#policy.marginMs;
    return this.#verdict.look(now, high);
  }
}

/** Every object this isolate sends ingests to, the least recently sent to forgotten past `maxObjects`. */
export class RoundTrips {
  readonly policy: RoundTripPolicy;
  readonly #maxObjects: number;
  /** In order of last use (a Map iterates in insertion order; a use re-inserts). */
  readonly #objects = new Map<string, ObjectRoundTrips>();

  constructor(policy: RoundTripPolicy = DEFAULT_ROUND_TRIP_POLICY, maxObjects = MAX_OBJECTS) {
    this.policy = checkRoundTripPolicy({ ...policy });
    if (!(Number.isInteger(maxObjects) && maxObjects >= 1)) throw new Error(`maxObjects must be a positive integer: ${maxObjects}`);
    this.#maxObjects = maxObjects;
  }

  get size(): number {
    return this.#objects.size;
  }

  /** The round trip of an ingest RPC to object `name` that ended at `at`. */
  record(name: string, at: number, rttMs: number): void {
    let object = this.#objects.get(name);
    if (object) this.#objects.delete(name);
    else object = new ObjectRoundTrips(this.policy);
    this.#objects.set(name, object);
    object.record(at, rttMs);
    if (this.#objects.size > this.#maxObjects) this.#objects.delete(this.#objects.keys().next().value!);
  }

  /** One look at object `name`: true when its round trips stayed queued for the sustained span (once per cool-down). */
  queued(name: string, now: number): boolean {
    return this.#objects.get(name)?.queued(now) ?? false;
  }
}
