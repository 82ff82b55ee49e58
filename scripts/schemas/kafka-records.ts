// The records Vigil produces to Kafka, as zod schemas built from the same definitions the
// code uses (durable/protocol.ts for windows and totals, durable/alerts for alert events),
// and the JSON Schemas published from them in docs/schemas/ for consumers.
//
//   node scripts/schemas/kafka-records.ts     rewrites docs/schemas/*.schema.json
//
// kafka-records.test.ts fails when the committed files differ from what this generates, and
// validates records that a running stack really produced against them.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { RULE_KINDS, SEVERITIES } from "../../durable/alerts/rules.ts";
import { totals, WINDOW_NAMES, windowView } from "../../durable/protocol.ts";

/** vigil.aggregates: one record per monitor tick per model version (workers/sinks/kafka-rest.ts). Key: `org:model:version`. */
export const aggregateRecord = z.object({
  orgId: z.string().describe("Organization id"),
  model: z.string(),
  version: z.string(),
  at: z.number().describe("Unix ms of the tick"),
  tick: z.number().int().describe("Tick counter of the monitor; with the key, identifies a record (use it to drop repeats)"),
  windows: z.array(windowView).describe("The 5m, 1h and 24h windows as /live shows them, without distributions"),
  totals,
  ingestToCountMs: z.number().nullable().optional().describe("How long the oldest batch counted by the latest count waited since its ingest (ms)"),
});

/** vigil.alerts: one record per alert event (workers/alerts/kafka.ts). Key: `org:model:version`. */
export const alertRecord = z.object({
  org_id: z.string(),
  model: z.string(),
  version: z.string(),
  id: z.string().describe("Unique and stable event id: apply each event once"),
  type: z.enum(["fired", "updated", "resolved"]),
  ruleId: z.string(),
  ruleName: z.string(),
  ruleKind: z.enum(RULE_KINDS as [string, ...string[]]),
  window: z.enum(WINDOW_NAMES),
  severity: z.enum(SEVERITIES as [string, ...string[]]),
  firingId: z.string().describe("Identifies one open-to-resolved episode of a rule"),
  at: z.number().describe("Unix ms"),
  evidence: z.record(z.string(), z.unknown()).nullable().describe("What the rule saw (metric values, features); shape by rule kind"),
});

/** vigil.audit-anchors: each org's audit chain head, hourly (workers/scheduled/audit-anchors.ts). Key: org id. */
export const auditAnchorRecord = z.object({
  org_id: z.string(),
  at: z.string().describe("ISO 8601 time the anchor was taken"),
  record_id: z.number().int().nullable().describe("Id of the last audit record, null for an empty log"),
  last_hash: z.string().nullable().describe("Hash of the last audit record (hex), null for an empty log"),
  records: z.number().int().describe("Number of audit records in the org's chain"),
});

export const TOPIC_SCHEMAS = { "vigil.aggregates": aggregateRecord, "vigil.alerts": alertRecord, "vigil.audit-anchors": auditAnchorRecord } as const;

export function jsonSchemaOf(topic: keyof typeof TOPIC_SCHEMAS): Record<string, unknown> {
  return {
    $id: `https://github.com/vigil/vigil/docs/schemas/${topic}.schema.json`,
    title: `Kafka topic ${topic}: record value`,
    ...z.toJSONSchema(TOPIC_SCHEMAS[topic], { target: "draft-2020-12", io: "output" }),
  };
}

export const SCHEMA_DIR = join(import.meta.dirname, "..", "..", "docs", "schemas");

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const topic of Object.keys(TOPIC_SCHEMAS) as Array<keyof typeof TOPIC_SCHEMAS>) {
    writeFileSync(join(SCHEMA_DIR, `${topic}.schema.json`), `${JSON.stringify(jsonSchemaOf(topic), null, 2)}\n`);
  }
}
