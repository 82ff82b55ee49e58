// Hostile requests generated from the API's own OpenAPI document, for the hostile-input
// suite: for each operation, a valid request (the caller supplies the surroundings: path
// values of existing resources, a base body) with one part made hostile at a time.
// - every string field of the JSON body (nested objects, array items, record values):
//   NUL, a lone surrogate, a 1 MB string, a number, an object, an array;
// - every number field: a string;
// - every object: `__proto__` and `constructor` keys; every record: NUL and lone-surrogate keys;
// - every query parameter: NUL (`%00`), invalid UTF-8 (`%ED%A0%80`, a surrogate's bytes),
//   1 MB, repeated (an array) and bracketed (an object); numbers: letters;
// - every path parameter: NUL, invalid UTF-8, 1 MB, `__proto__`, `constructor`.
// Schemas are read as the document has them ($ref, anyOf/oneOf, nullable types): a union
// takes its first non-null member, which is where the base body comes from too.

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** What the caller knows about the world: ids of real resources, bodies that are valid. */
export interface Surroundings {
  pathValue(param: string, path: string): string;
  baseBody?(method: string, path: string): unknown;
  baseQuery?(method: string, path: string): Record<string, string>;
}

export interface HostileCase {
  /** "POST /v1/channels", the operation as the document names it. */
  operation: string;
  /** What was made hostile ("body name: NUL"). */
  what: string;
  method: string;
  url: string;
  body?: string;
}

type Segment = string | number;
type Slot = { path: Segment[]; kind: "string" | "number" | "object" | "record"; schema: JsonSchema };

const MEGABYTE = "x".repeat(1 << 20);
const STRING_CASES: Array<[string, unknown]> = [["NUL", "hostile\u0000value"], ["lone surrogate", "hostile\ud800value"], ["1 MB string", MEGABYTE], ["number", 12345], ["object", { a: 1 }], ["array", ["a"]]];
const NUMBER_CASES: Array<[string, unknown]> = [["string", "12345"], ["NUL string", "1\u00002"]];
const QUERY_CASES: Array<[string, string]> = [["NUL", "hostile%00value"], ["invalid UTF-8", "hostile%ED%A0%80value"], ["1 MB", MEGABYTE]];
const PATH_CASES: Array<[string, string]> = [["NUL", "hostile%00value"], ["invalid UTF-8", "hostile%ED%A0%80value"], ["1 MB", MEGABYTE], ["__proto__", "__proto__"], ["constructor", "constructor"]];

export function hostileCases(doc: OpenApiDoc, world: Surroundings): HostileCase[] {
  const resolve = (s: JsonSchema | undefined): JsonSchema => {
    let out = s ?? {};
    for (let i = 0; out.$ref && i < 10; i++) out = doc.components.schemas[out.$ref.replace("#/components/schemas/", "")] ?? {};
    const union = out.anyOf ?? out.oneOf;
    if (union) return resolve(union.find((m) => resolve(m).type !== "null") ?? union[0]);
    return out;
  };
  const typeOf = (s: JsonSchema): string | undefined => {
    const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
    return t ?? (s.properties ? "object" : s.items ? "array" : undefined);
  };
  const recordOf = (s: JsonSchema): JsonSchema | undefined => (typeof s.additionalProperties === "object" ? s.additionalProperties : s.additionalProperties === true ? {} : undefined);

  function example(schema: JsonSchema | undefined): unknown {
    const s = resolve(schema);
    if (s.default !== undefined) return structuredClone(s.default);
    if (s.enum) return s.enum[0];
    switch (typeOf(s)) {
      case "string":
        if (s.format === "email") return "hostile@example.test";
        if (s.format === "uuid") return "00000000-0000-4000-8000-000000000001";
        if (s.format === "date-time") return new Date().toISOString();
        if (s.format === "uri") return "https://example.test/x";
        return "h1x".padEnd(s.minLength ?? 0, "x");
      case "number":
      case "integer":
        return Math.max(s.minimum ?? 1, 1);
      case "boolean":
        return false;
      case "array":
        return Array.from({ length: s.minItems ?? 0 }, () => example(s.items));
      case "object":
        return Object.fromEntries((s.required ?? []).map((k) => [k, example(s.properties?.[k])]));
      default:
        return "h1x";
    }
  }

  function slots(schema: JsonSchema | undefined, path: Segment[], out: Slot[]): void {
    const s = resolve(schema);
    if (path.length > 8) return;
    const t = typeOf(s);
    if (t === "string") out.push({ path, kind: "string", schema: s });
    else if (t === "number" || t === "integer") out.push({ path, kind: "number", schema: s });
    else if (t === "array") slots(s.items, [...path, 0], out);
    else if (t === "object" || recordOf(s)) {
      out.push({ path, kind: "object", schema: s });
      for (const [k, p] of Object.entries(s.properties ?? {})) slots(p, [...path, k], out);
      const record = recordOf(s);
      if (record) {
        out.push({ path, kind: "record", schema: s });
        slots(record, [...path, "k"], out);
      }
    }
  }

  /** The schema one step down: a property, a record's values or an array's items. */
  function child(schema: JsonSchema | undefined, seg: Segment): JsonSchema | undefined {
    const s = resolve(schema);
    if (typeof seg === "number") return s.items;
    return s.properties?.[seg] ?? recordOf(s);
  }

  /** A copy of `base` with `value` at `path`, building what lies between from examples. */
  function withValue(base: unknown, schema: JsonSchema | undefined, path: Segment[], value: (current: unknown) => unknown): unknown {
    if (path.length === 0) return value(structuredClone(base));
    const [seg, ...rest] = path as [Segment, ...Segment[]];
    const sub = child(schema, seg);
    const container = (typeof base === "object" && base !== null ? structuredClone(base) : example(schema)) as Record<string | number, unknown>;
    const current = container[seg] ?? example(sub);
    container[seg] = withValue(current, sub, rest, value);
    return container;
  }

  const cases: HostileCase[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    if (!template.startsWith("/v1/")) continue;
    for (const [method, op] of Object.entries(ops)) {
      const M = method.toUpperCase();
      const operation = `${M} ${template}`;
      const params = op.parameters ?? [];
      const fill = (override?: [string, string]) =>
        template.replace(/\{(\w+)\}/g, (_m, name: string) => (override?.[0] === name ? override[1] : encodeURIComponent(world.pathValue(name, template))));
      const baseQuery = world.baseQuery?.(M, template) ?? {};
      const query = (name?: string, raw?: string) => {
        const parts = Object.entries(baseQuery).filter(([k]) => k !== name).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
        if (name !== undefined) parts.push(raw!);
        return parts.length ? `?${parts.join("&")}` : "";
      };
      const jsonSchema = op.requestBody?.content["application/json"]?.schema;
      const base = jsonSchema ? (world.baseBody?.(M, template) ?? example(jsonSchema)) : undefined;
      const body = base === undefined ? undefined : JSON.stringify(base);
      const add = (what: string, url: string, b = body) => cases.push({ operation, what, method: M, url, ...(b === undefined ? {} : { body: b }) });

      for (const p of params.filter((x) => x.in === "path")) {
        for (const [name, raw] of PATH_CASES) add(`path ${p.name}: ${name}`, `${fill([p.name, raw])}${query()}`);
      }
      for (const p of params.filter((x) => x.in === "query")) {
        const numeric = ["number", "integer"].includes(typeOf(resolve(p.schema)) ?? "");
        const variants: Array<[string, string]> = numeric
          ? [["letters", `${p.name}=abc`], ["NUL", `${p.name}=1%002`]]
          : [...QUERY_CASES.map(([n, v]): [string, string] => [n, `${p.name}=${v}`]), ["array", `${p.name}=a&${p.name}=b`], ["object", `${p.name}%5Ba%5D=1`]];
        for (const [name, raw] of variants) add(`query ${p.name}: ${name}`, `${fill()}${query(p.name, raw)}`);
      }
      if (jsonSchema === undefined) continue;
      const found: Slot[] = [];
      slots(jsonSchema, [], found);
      for (const slot of found) {
        const at = slot.path.join(".") || "(body)";
        const put = (name: string, value: (current: unknown) => unknown) => add(`body ${at}: ${name}`, `${fill()}${query()}`, JSON.stringify(withValue(base, jsonSchema, slot.path, value)));
        if (slot.kind === "string") for (const [name, v] of STRING_CASES) put(name, () => v);
        if (slot.kind === "number") for (const [name, v] of NUMBER_CASES) put(name, () => v);
        if (slot.kind === "record") {
          const value = example(recordOf(slot.schema));
          put("NUL key", (o) => ({ ...(o as object), "k\u0000": value }));
          put("lone surrogate key", (o) => ({ ...(o as object), "k\udc00": value }));
        }
        if (slot.kind === "object") {
          put("__proto__ and constructor keys", (o) => {
            const out = { ...(typeof o === "object" && o !== null ? o : {}) } as Record<string, unknown>;
            for (const [key, value] of [["__proto__", { polluted: true }], ["constructor", { prototype: { polluted: true } }]] as const) {
              Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
            }
            return out;
          });
        }
      }
    }
  }
  return cases;
}
