// The mean of per-prediction losses, the accumulator log loss (log-loss.ts) and the Brier
// score (brier.ts) share: kept as (Σ loss, n) so windows merge by addition, read as
// Σ/n (NaN when empty), stored as the versioned JSON { version, n, sum }. Each metric
// adds its own loss per prediction and names its own version and error-message name.
//
// merge takes `this`, so a log loss never merges into a Brier score.
import { readCount, readNonNegative, readObject } from "./json-fields.ts";

export interface MeanLossJSON {
  version: number;
  n: number;
  sum: number;
}

export abstract class MeanLoss {
  #n = 0;
  #sum = 0;
  /** The metric's name in error messages. */
  protected abstract readonly what: string;
  /** The version of the metric's JSON form. */
  protected abstract readonly version: number;

  get n(): number { return this.#n; }

  /** Counts one prediction with this loss (≥ 0). */
  protected add(loss: number): void {
    this.#sum += loss;
    this.#n++;
  }

  /** Mean loss; NaN when empty. */
  value(): number {
    return this.#n === 0 ? Number.NaN : this.#sum / this.#n;
  }

  merge(other: this): void {
    this.#n += other.#n;
    this.#sum += other.#sum;
  }

  toJSON(): MeanLossJSON {
    return { version: this.version, n: this.#n, sum: this.#sum };
  }

  /** Fills this (new) accumulator from its JSON form, checking version, n and sum. */
  protected restore(value: unknown): this {
    const v = readObject(value, this.what, this.version);
    this.#n = readCount(v, "n", this.what);
    this.#sum = readNonNegative(v, "sum", this.what);
    return this;
  }
}
