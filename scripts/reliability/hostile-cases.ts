// Seeded generator of malformed and hostile ingest requests. Each case names what it
// attacks, so a run can report status codes per kind. The target model version has
// the schema { a: numerical, b: categorical } (see hostile.ts).
import { gzipSync } from "node:zlib";

export interface HostileRequest {
  kind: string;
  path: string;
  body: Uint8Array | string;
  headers: Record<string, string>;
  /** Odd but legal (a model named "__proto__", an ignored `__proto__` key): a plain 2xx is right. */
  mayAccept?: boolean;
}

const JSON_TYPE = { "content-type": "application/json" };

export function hostileRequest(rand: () => number, i: number, model: string): HostileRequest {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const deep = (n: number, open = "[", close = "]") => open.repeat(n) + close.repeat(n);
  const wrap = (events: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ model, version: "v1", events, ...extra });
  const ev = (over: Record<string, unknown>) => ({ prediction_id: `h${i}`, features: { a: 1, b: "x" }, prediction: 1, ...over });
  const json = (kind: string, body: string, path = "/v1/ingest"): HostileRequest => ({ kind, path, body, headers: JSON_TYPE });
  const legal = (kind: string, body: string): HostileRequest => ({ ...json(kind, body), mayAccept: true });
  const cases: (() => HostileRequest)[] = [
    () => json("garbage bytes", Buffer.from(bytes(1 + Math.floor(rand() * 512))).toString("latin1")),
    () => ({ kind: "invalid utf-8", path: "/v1/ingest", body: Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x3a, 0xed, 0xa0, 0x80, 0x7d]), headers: JSON_TYPE }),
    () => ({ kind: "invalid utf-8 in a string", path: "/v1/ingest", body: Buffer.concat([Buffer.from(`{"model":"${model}","version":"v1","events":[{"prediction_id":"`), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from(`","features":{"a":1,"b":"x"},"prediction":1}]}`)]), headers: JSON_TYPE }),
    () => json("deep array nesting", deep(1_000 + Math.floor(rand() * 200_000))),
    () => json("deep object nesting", '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000)),
    () => json("deep nesting inside events", wrap([]).replace("[]", deep(20_000))),
    () => json("deep nesting in a feature", wrap([ev({})]).replace('"a":1', `"a":${deep(10_000)}`)),
    () => json("huge prediction_id", wrap([ev({ prediction_id: "x".repeat(100_000 + Math.floor(rand() * 1_000_000)) })])),
    () => json("huge category", wrap([ev({ features: { a: 1, b: "y".repeat(2_000_000) } })])),
    () => json("huge model name", JSON.stringify({ model: "m".repeat(1_000_000), version: "v1", events: [ev({})] })),
    () => json("body over the size limit", `{"model":"${model}","version":"v1","events":[${'"' + "z".repeat(9 * 1024 * 1024) + '"'}]}`),
    () => json("wrong types", wrap([ev({ prediction_id: pick([1, null, true, {}, []]), features: pick([null, 1, "f", [1, 2]]), prediction: pick([{}, [], null]) })])),
    () => json("wrong feature types", wrap([ev({ features: { a: pick(["1", true, {}, [1]]), b: pick([{}, []]) } })])),
    () => json("events not an array", wrap(pick(["events", 1, null, {}, true]))),
    () => json("missing fields", JSON.stringify(pick([{}, { model }, { version: "v1" }, { events: [] }, { model, version: "v1" }]))),
    () => json("NaN and Infinity literals", `{"model":"${model}","version":"v1","events":[{"prediction_id":"p","features":{"a":${pick(["NaN", "Infinity", "-Infinity", "nan", "undefined"])},"b":"x"},"prediction":1}]}`),
    () => json("NaN as strings", wrap([ev({ features: { a: pick(["NaN", "Infinity", "-Infinity"]), b: "x" }, score: "NaN" })])),
    () => json("enormous numbers", `{"model":"${model}","version":"v1","events":[{"prediction_id":"p","features":{"a":${pick(["1e400", "-1e999", "123456789012345678901234567890123456789e300", "0x10", "1_000", "01", ".5"])},"b":"x"},"prediction":1}]}`),
    () => legal("__proto__ keys", `{"model":"${model}","version":"v1","__proto__":{"polluted":1},"events":[{"prediction_id":"p","__proto__":{"isAdmin":true},"features":{"__proto__":{"a":1},"b":"x"},"prediction":1}]}`),
    () => json("constructor/prototype keys", `{"model":"${model}","version":"v1","events":[{"prediction_id":"p","features":{"constructor":{"prototype":{"polluted":1}},"prototype":1,"b":"x"},"prediction":{"constructor":1}}]}`),
    () => legal("prototype keys as model name", JSON.stringify({ model: pick(["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"]), version: pick(["__proto__", "v1"]), events: [ev({})] })),
    () => json("bad model/version names", JSON.stringify({ model: pick(["", " ", "a:b", "../etc", "a/b", "\u0000", "x".repeat(300)]), version: pick(["", "v1:", "\n"]), events: [ev({})] })),
    () => json("top-level not an object", pick(["null", "[]", "1", '"s"', "true", ""])),
    () => json("truncated JSON", wrap([ev({})]).slice(0, 5 + Math.floor(rand() * 60))),
    () => json("duplicate keys and trailing junk", `{"model":"${model}","model":1,"version":"v1","events":[]}} trailing`),
    () => ({ kind: "wrong content type", path: "/v1/ingest", body: wrap([ev({})]), headers: { "content-type": pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png"]) } }),
    () => ({ kind: "no content type", path: "/v1/ingest", body: wrap([ev({})]), headers: {} }),
    () => ({ kind: "bad gzip", path: "/v1/ingest", body: bytes(64), headers: { ...JSON_TYPE, "content-encoding": "gzip" } }),
    () => ({ kind: "truncated gzip", path: "/v1/ingest", body: gzipSync(wrap([ev({})])).subarray(0, 20), headers: { ...JSON_TYPE, "content-encoding": "gzip" } }),
    () => ({ kind: "gzip of garbage", path: "/v1/ingest", body: gzipSync(bytes(300)), headers: { ...JSON_TYPE, "content-encoding": "gzip" } }),
    () => ({ kind: "unknown content encoding", path: "/v1/ingest", body: wrap([ev({})]), headers: { ...JSON_TYPE, "content-encoding": pick(["br", "deflate", "zstd", "gzip, gzip", "x"]) } }),
    () => ({ kind: "bad NDJSON", path: `/v1/ingest?model=${model}&version=v1`, body: pick(['{"a":1}\n[[[[\n\u0000', "\n\n\n", "not json\nat all", '{"prediction_id":"p","features":NaN}']), headers: { "content-type": "application/x-ndjson" } }),
    () => ({ kind: "NDJSON without model", path: "/v1/ingest", body: JSON.stringify(ev({})), headers: { "content-type": "application/x-ndjson" } }),
    () => json("unknown model (actuals)", JSON.stringify({ model: `${model}-nope-${i}`, version: "v9", actuals: [{ prediction_id: "p", actual: 1 }] }), "/v1/actuals"),
    () => json("actuals: wrong types", JSON.stringify({ model, version: "v1", actuals: pick([null, "x", [{ prediction_id: {}, actual: [] }], [{ __proto__: { a: 1 } }]]) }), "/v1/actuals"),
    () => json("actuals: deep nesting", JSON.stringify({ model, version: "v1", actuals: [] }).replace("[]", deep(30_000)), "/v1/actuals"),
    () => json("outcomes: hostile", `{"model":"${model}","outcomes":[{"timestamp":"nope","kpi":{"__proto__":1},"value":NaN}]}`, "/v1/outcomes"),
    () => json("bad timestamps", wrap([ev({ timestamp: pick(["yesterday", "", "9999999-99-99", 1e20, -1, "2026-13-45T99:99:99Z"]) })])),
    () => json("bad batch_id", wrap([ev({})], { batch_id: pick([1, {}, [], "", "x".repeat(10_000)]) })),
    () => json("too many events", wrap(Array.from({ length: 10_001 }, () => 0))),
  ];
  return pick(cases)();
}
