// Validates a Kafka record value against its published JSON Schema (docs/schemas/), with
// ajv (JSON Schema 2020-12): what a consumer of the topic would check.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { SCHEMA_DIR, type TOPIC_SCHEMAS } from "./kafka-records.ts";

const ajv = new Ajv2020({ allErrors: true, strict: false });

/** The validation errors of a record value for a topic, as readable lines; empty when valid. */
export function recordErrors(topic: keyof typeof TOPIC_SCHEMAS, value: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${topic}.schema.json`), "utf8")) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
