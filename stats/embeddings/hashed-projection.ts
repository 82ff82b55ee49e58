// Projection of a wide embedding to at most k components by feature hashing (the "count
// sketch" projection; Weinberger, Dasgupta, Langford, Smola and Attenberg, "Feature
// Hashing for Large Scale Multitask Learning", ICML 2009, §2): component i of the input
// goes to output h(i) ∈ [0, k) with sign σ(i) ∈ {−1, +1},
//
//   y_j = Σ_{i : h(i) = j} σ(i) · x_i,
//
// so E[⟨y, y'⟩] = ⟨x, x'⟩ (inner products, norms and distances are kept in expectation;
// their Lemma 2 bounds the spread), at O(d) per vector where a dense Gaussian projection
// costs O(d·k). That is what lets the Worker project a 4,096-wide embedding at ingest:
// the monitor then keeps and scores at most k = 64 components per row. h and σ come from
// a fixed integer hash of (seed, i), so every isolate projects the same way.
//
// Vectors of at most k components are kept as they are (the identity projection).

import { murmur3 } from "../sketch/murmur3.ts";

const PROJECTION_SEED = 0x5eed;

/** The projected width for an embedding of `dimension` components. */
export function projectedWidth(dimension: number, maxComponents: number): number {
  return Math.min(dimension, maxComponents);
}

export interface HashedProjection {
  readonly dimension: number;
  readonly k: number;
  /** Writes the projection of `x` (length `dimension`) into `out` at `offset` (k values). */
  project(x: ArrayLike<number>, out: Float32Array | Float64Array, offset: number): void;
}

/** A 32-bit integer mix (the murmur3 finaliser), for h and σ. */
function mix(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seed from a name (the sketches' MurmurHash3), so each embedding feature has its own fixed projection. */
export function seedOf(name: string): number {
  return murmur3(name, PROJECTION_SEED);
}

export function hashedProjection(dimension: number, maxComponents: number, seed: number): HashedProjection {
  const k = projectedWidth(dimension, maxComponents);
  if (k === dimension) {
    return {
      dimension, k,
      project(x, out, offset) {
        for (let i = 0; i < dimension; i++) out[offset + i] = x[i] as number;
      },
    };
  }
  const bucket = new Int32Array(dimension);
  const sign = new Float64Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const h = mix(seed, i);
    bucket[i] = h % k;
    sign[i] = (h & 0x80000000) === 0 ? 1 : -1;
  }
  return {
    dimension, k,
    project(x, out, offset) {
      for (let j = 0; j < k; j++) out[offset + j] = 0;
      for (let i = 0; i < dimension; i++) {
        const at = offset + (bucket[i] as number);
        out[at] = (out[at] as number) + (sign[i] as number) * (x[i] as number);
      }
    },
  };
}
