// Random bits for KLL compaction. A compaction keeps either the odd- or the
// even-indexed items; choosing the parity at random is what makes the rank error
// unbiased (Karnin, Lang & Liberty 2016, section 2). The generator is seedable so
// tests and fixtures are reproducible.

/** mulberry32 (Tommy Ettinger, public domain), reduced to one bit per call. */
export class RandomBits {
  #state: number;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** 0 or 1 with equal probability; the top bit of the mixed state. */
  nextBit(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.#state ^ (this.#state >>> 15), 1 | this.#state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 31;
  }

  /** A 32-bit seed for another generator, so sketches built in sequence get distinct streams. */
  nextSeed(): number {
    let seed = 0;
    for (let i = 0; i < 32; i++) seed = (seed << 1) | this.nextBit();
    return seed | 0;
  }
}

// Sketches created without an explicit seed draw one from this sequence. A fixed
// start keeps whole test runs deterministic, while consecutive sketches still get
// different compaction choices (identical choices across many merged parts could
// let the errors line up instead of cancelling).
const defaultSeeds = new RandomBits(0x5eed_c0de);

export function nextDefaultSeed(): number {
  return defaultSeeds.nextSeed();
}
