// vigil.audit-anchors: every hour, each org's audit chain head (last record id, its hash,
// how many records) goes to Kafka, outside the database. Someone who can rewrite Postgres
// can make a truncated or rewritten chain verify on its own; they cannot change the
// anchors already in Kafka, so an anchor whose record is gone or whose hash differs shows
// the tampering (docs/audit.md, "Anchors outside the database").
import { sql } from "drizzle-orm";
import { kafkaConfig, produce } from "../clients/kafka-rest.ts";
import type { Database } from "../db/client.ts";
import type { Bindings } from "../env.ts";

export const AUDIT_ANCHORS_TOPIC = "vigil.audit-anchors";

export interface AuditAnchor {
  org_id: string;
  at: string;
  record_id: number | null;
  last_hash: string | null;
  records: number;
}

/** Each org's chain head as of `now` (orgs with an empty log included, with nulls). */
export async function auditAnchors(db: Database, now: Date): Promise<AuditAnchor[]> {
  const result = await db.execute<{ org_id: string; record_id: string | null; last_hash: string | null; records: string }>(sql`
    SELECT o.id AS org_id, h.id AS record_id, h.hash AS last_hash, c.n AS records
    FROM orgs o
    LEFT JOIN LATERAL (SELECT id, hash FROM audit_log WHERE org_id = o.id ORDER BY id DESC LIMIT 1) h ON true
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM audit_log WHERE org_id = o.id) c ON true
    ORDER BY o.id`);
  return result.rows.map((r) => ({
    org_id: r.org_id,
    at: now.toISOString(),
    record_id: r.record_id === null ? null : Number(r.record_id),
    last_hash: r.last_hash,
    records: Number(r.records),
  }));
}

/** Publishes every org's anchor, keyed by org id; nothing when Kafka output is off. */
export async function publishAuditAnchors(env: Bindings, db: Database, now: Date): Promise<number> {
  const config = kafkaConfig(env);
  if (!config) return 0;
  const anchors = await auditAnchors(db, now);
  await produce(config, AUDIT_ANCHORS_TOPIC, anchors.map((a) => ({ key: a.org_id, value: a })));
  return anchors.length;
}
