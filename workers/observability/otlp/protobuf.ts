// The binary protobuf encoding of an ExportMetricsServiceRequest (request.ts), written
// by hand: the handful of messages Vigil sends do not justify a protobuf runtime in the
// Worker bundle. Field numbers and wire types are those of the official .proto files
// (opentelemetry-proto, vendored for tests in scripts/fixtures/opentelemetry-proto/):
//   ExportMetricsServiceRequest  1 resource_metrics (message, repeated)
//   ResourceMetrics              1 resource, 2 scope_metrics (repeated)
//   Resource                     1 attributes (KeyValue, repeated)
//   ScopeMetrics                 1 scope, 2 metrics (repeated)
//   InstrumentationScope         1 name, 2 version
//   Metric                       1 name, 2 description, 3 unit, 5 gauge, 7 sum
//   Gauge                        1 data_points (repeated)
//   Sum                          1 data_points (repeated), 2 aggregation_temporality (enum), 3 is_monotonic (bool)
//   NumberDataPoint              7 attributes (repeated), 3 time_unix_nano (fixed64), 4 as_double (double)
//   KeyValue                     1 key, 2 value (AnyValue)
//   AnyValue                     1 string_value
// Wire format: https://protobuf.dev/programming-guides/encoding/ (tag = field << 3 | wire
// type; 0 varint, 1 fixed64, 2 length-delimited). Tested by decoding with protobufjs and
// the official files (scripts/services/otlp-receiver.test.ts).
import type { ExportMetricsServiceRequest, KeyValue, NumberDataPoint, OtlpMetric } from "./request.ts";

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

class Writer {
  #chunks: number[] = [];

  varint(n: number): this {
    let v = n >>> 0;
    if (n > 0xffffffff) throw new RangeError(`varint too large: ${n}`);
    while (v > 0x7f) {
      this.#chunks.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.#chunks.push(v);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, LEN).varint(data.length);
    for (const b of data) this.#chunks.push(b);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, FIXED64);
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, value, true);
    for (let i = 0; i < 8; i++) this.#chunks.push(view.getUint8(i));
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, FIXED64);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.#chunks.push(view.getUint8(i));
    return this;
  }

  uint(field: number, value: number): this {
    return this.tag(field, VARINT).varint(value);
  }

  finish(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.#chunks);
  }
}

function keyValue(w: Writer, kv: KeyValue): void {
  w.string(1, kv.key).message(2, (v) => v.string(1, kv.value.stringValue));
}

function dataPoint(w: Writer, p: NumberDataPoint): void {
  w.fixed64(3, BigInt(p.timeUnixNano)).double(4, p.asDouble);
  for (const a of p.attributes) w.message(7, (m) => keyValue(m, a));
}

function metric(w: Writer, m: OtlpMetric): void {
  w.string(1, m.name).string(2, m.description).string(3, m.unit);
  if (m.gauge) w.message(5, (g) => m.gauge!.dataPoints.forEach((p) => g.message(1, (d) => dataPoint(d, p))));
  if (m.sum) {
    w.message(7, (s) => {
      m.sum!.dataPoints.forEach((p) => s.message(1, (d) => dataPoint(d, p)));
      s.uint(2, m.sum!.aggregationTemporality).uint(3, m.sum!.isMonotonic ? 1 : 0);
    });
  }
}

export function encodeMetricsRequest(request: ExportMetricsServiceRequest): Uint8Array<ArrayBuffer> {
  const w = new Writer();
  for (const rm of request.resourceMetrics) {
    w.message(1, (r) => {
      r.message(1, (res) => rm.resource.attributes.forEach((a) => res.message(1, (m) => keyValue(m, a))));
      for (const sm of rm.scopeMetrics) {
        r.message(2, (s) => {
          s.message(1, (scope) => scope.string(1, sm.scope.name).string(2, sm.scope.version));
          sm.metrics.forEach((m) => s.message(2, (mw) => metric(mw, m)));
        });
      }
    });
  }
  return w.finish();
}
