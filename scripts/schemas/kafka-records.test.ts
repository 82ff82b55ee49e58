import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonSchemaOf, SCHEMA_DIR, TOPIC_SCHEMAS } from "./kafka-records.ts";
import { recordErrors } from "./validate-record.ts";

describe("published Kafka record schemas (docs/schemas/)", () => {
  it.each(Object.keys(TOPIC_SCHEMAS) as Array<keyof typeof TOPIC_SCHEMAS>)("%s matches the code's definitions (rerun scripts/schemas/kafka-records.ts)", (topic) => {
    const committed = JSON.parse(readFileSync(join(SCHEMA_DIR, `${topic}.schema.json`), "utf8")) as unknown;
    expect(committed).toEqual(jsonSchemaOf(topic));
  });

  it("refuses a record that breaks the schema, naming the field", () => {
    const anchor = { org_id: "o", at: "2026-12-05T06:00:00.000Z", record_id: 4, last_hash: "ab", records: 4 };
    expect(recordErrors("vigil.audit-anchors", anchor)).toEqual([]);
    expect(recordErrors("vigil.audit-anchors", { ...anchor, records: "4" }).join()).toMatch(/records/);
    expect(recordErrors("vigil.alerts", { org_id: "o" }).join()).toMatch(/required/);
  });
});
