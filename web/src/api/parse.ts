// Tiny runtime checks for what the API and the socket send. Each parser either returns
// a typed value or throws a ParseError naming the path, so a contract change shows up
// as a clear message on screen instead of `undefined` deep in a component.

export type Parser<T> = (value: unknown, path?: string) => T;

export class ParseError extends Error {
  constructor(path: string, expected: string, value: unknown) {
    super(`unexpected response: ${path || "body"} should be ${expected}, got ${describe(value)}`);
    this.name = "ParseError";
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

export const str: Parser<string> = (v, p = "") => {
  if (typeof v !== "string") throw new ParseError(p, "a string", v);
  return v;
};

export const num: Parser<number> = (v, p = "") => {
  if (typeof v !== "number" || Number.isNaN(v)) throw new ParseError(p, "a number", v);
  return v;
};

export const bool: Parser<boolean> = (v, p = "") => {
  if (typeof v !== "boolean") throw new ParseError(p, "a boolean", v);
  return v;
};

export const unknownValue: Parser<unknown> = (v) => v;

export function literal<const T extends string>(...options: T[]): Parser<T> {
  return (v, p = "") => {
    if (typeof v !== "string" || !(options as string[]).includes(v)) throw new ParseError(p, `one of ${options.join(", ")}`, v);
    return v as T;
  };
}

export function nullable<T>(inner: Parser<T>): Parser<T | null> {
  return (v, p = "") => (v === null || v === undefined ? null : inner(v, p));
}

export function optional<T>(inner: Parser<T>): Parser<T | undefined> {
  return (v, p = "") => (v === undefined || v === null ? undefined : inner(v, p));
}

export function withDefault<T>(inner: Parser<T>, fallback: T): Parser<T> {
  return (v, p = "") => (v === undefined || v === null ? fallback : inner(v, p));
}

export function array<T>(item: Parser<T>): Parser<T[]> {
  return (v, p = "") => {
    if (!Array.isArray(v)) throw new ParseError(p, "an array", v);
    return v.map((x, i) => item(x, `${p}[${i}]`));
  };
}

export function record<T>(item: Parser<T>): Parser<Record<string, T>> {
  return (v, p = "") => {
    const o = asObject(v, p);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(o)) out[k] = item(x, `${p}.${k}`);
    return out;
  };
}

type Shape = Record<string, Parser<unknown>>;
type Parsed<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

export function object<S extends Shape>(shape: S): Parser<Parsed<S>> {
  return (v, p = "") => {
    const o = asObject(v, p);
    const out: Record<string, unknown> = {};
    for (const [k, parse] of Object.entries(shape)) out[k] = parse(o[k], p ? `${p}.${k}` : k);
    return out as Parsed<S>;
  };
}

export function asObject(v: unknown, p = ""): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParseError(p, "an object", v);
  return v as Record<string, unknown>;
}
