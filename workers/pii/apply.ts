// Where PII tags take effect in the Worker: a version's categorical PII features are
// hashed in every batch before it is encoded for the monitor, and in every baseline
// profile before it is stored or pushed (pseudonym.ts). Versions without such a feature
// never read the key.
import type { EventColumns } from "../../durable/monitor/event-columns.ts";
import type { Queryable } from "../db/queryable.ts";
import { orgPiiKey } from "./org-key.ts";
import { piiCategorical, pseudonymizeBatch, pseudonymizeProfile } from "./pseudonym.ts";

type Schema = readonly { name: string; kind: string; pii?: string | undefined }[];

export async function pseudonymizeEvents(db: Queryable, orgId: string, schema: Schema, batch: EventColumns): Promise<EventColumns> {
  const names = piiCategorical(schema);
  return names.size === 0 ? batch : pseudonymizeBatch(await orgPiiKey(db, orgId), batch, names);
}

export async function pseudonymizeBaseline<T>(db: Queryable, orgId: string, schema: Schema, profile: T): Promise<T> {
  const names = piiCategorical(schema);
  return names.size === 0 ? profile : pseudonymizeProfile(await orgPiiKey(db, orgId), profile, names);
}
