// Validation for the versioned JSON forms of the performance metrics: every fromJSON
// reads `unknown` and fails with a message naming the metric and the field.

export function readObject(value: unknown, what: string, version: number): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what}: expected an object`);
  const v = value as Record<string, unknown>;
  if (v.version !== version) throw new Error(`unsupported ${what} version ${String(v.version)}`);
  return v;
}

export function readCount(v: Record<string, unknown>, name: string, what: string): number {
  const x = v[name];
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new Error(`${what}: ${name} must be a non-negative integer: ${String(x)}`);
  return x;
}

export function readFinite(v: Record<string, unknown>, name: string, what: string): number {
  const x = v[name];
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`${what}: ${name} must be a finite number: ${String(x)}`);
  return x;
}

export function readNonNegative(v: Record<string, unknown>, name: string, what: string): number {
  const x = readFinite(v, name, what);
  if (x < 0) throw new Error(`${what}: ${name} must be >= 0: ${x}`);
  return x;
}

export function readCountArray(v: Record<string, unknown>, name: string, length: number, what: string): Float64Array {
  const x = v[name];
  if (!Array.isArray(x) || x.length !== length) throw new Error(`${what}: ${name} must be an array of ${length} counts`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const c = x[i] as unknown;
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) throw new Error(`${what}: ${name}[${i}] must be a non-negative integer`);
    out[i] = c;
  }
  return out;
}

/** A probability: finite and within [0, 1]. */
export function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${what}: probability must be within [0, 1]: ${p}`);
}

/** Binary labels accepted as booleans or 0/1. */
export function binaryLabel(y: boolean | number, what: string): 0 | 1 {
  if (y === true || y === 1) return 1;
  if (y === false || y === 0) return 0;
  throw new Error(`${what}: binary label must be 0, 1, true or false: ${String(y)}`);
}

/**
 * Normalizes a row of class probabilities to sum to 1, as sklearn's log_loss does.
 * Rejects negative or non-finite entries and an all-zero row.
 */
export function normalizedRow(probs: Readonly<Record<string, number>>, what: string): Map<string, number> {
  let total = 0;
  for (const [label, p] of Object.entries(probs)) {
    if (!(p >= 0) || !Number.isFinite(p)) throw new Error(`${what}: probability of ${label} must be finite and >= 0: ${p}`);
    total += p;
  }
  if (!(total > 0)) throw new Error(`${what}: probabilities sum to ${total}`);
  return new Map(Object.entries(probs).map(([label, p]) => [label, p / total]));
}
