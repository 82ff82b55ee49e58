// Seeded pseudo-random numbers for tests and benchmarks. Deterministic across
// runtimes, and cheap to port (scripts/fixtures/*.py re-implement it bit for bit),
// so fixture generators can rebuild the very samples a test draws.

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator with period 2^32.
 * Returns uniforms in [0, 1) with 32 random bits. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from a uniform source. */
export function normalFrom(uniform: () => number): () => number {
  return function normal(): number {
    const u = 1 - uniform(); // (0, 1], so the log is finite
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
