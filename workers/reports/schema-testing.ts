// Validates a report's JSON against the published schema (docs/schemas/report.schema.json)
// with ajv (JSON Schema 2020-12), as scripts/schemas/validate-record.ts does for the Kafka
// records: what a consumer of the file would check. Tests only (ajv compiles with eval).
import Ajv2020 from "ajv/dist/2020.js";
import schema from "../../docs/schemas/report.schema.json";

// The two formats the schema uses, checked rather than only documented (ISO 8601 with a zone, as the report writes times).
const formats = {
  "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};
const ajv = new Ajv2020({ allErrors: true, strict: false, formats });
const validate = ajv.compile(schema);

/** The validation errors as readable lines (path, message, parameters); empty when valid. */
export function reportSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
