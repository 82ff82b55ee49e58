// Fixtures for alert tests: an org with a model version and a write key, a recording
// fake for outbound fetch (the SaaS boundary), and evaluator events.
import type { AlertEvent } from "../../durable/alerts/evaluate.ts";
import type { AlertEnvelope } from "../../durable/alerts/envelope.ts";
import type { FetchLike } from "../channels/request.ts";
import { channels, modelVersions, models } from "../db/schema/index.ts";
import type { Database } from "../db/client.ts";
import { seedKey, seedOrg, uniqueSlug } from "../testing/seed.ts";

export interface AlertFixture {
  orgId: string;
  modelId: string;
  versionId: string;
  model: string;
  version: string;
  key: string;
}

/** A webhook channel of the org with a known signing secret; its id. */
export async function seedWebhookChannel(db: Database, orgId: string): Promise<string> {
  const [ch] = await db.insert(channels).values({ orgId, name: "hook", kind: "webhook", config: { url: "https://receiver.example.com/hook" }, secret: "whsec_test_secret_value" }).returning();
  return ch!.id;
}

export async function seedModelVersion(db: Database): Promise<AlertFixture> {
  const org = await seedOrg(db);
  const model = uniqueSlug("credit-risk");
  const [m] = await db.insert(models).values({ orgId: org.orgId, projectId: org.projectId, name: model, predictionKind: "binary" }).returning({ id: models.id });
  const [v] = await db.insert(modelVersions).values({ orgId: org.orgId, modelId: m!.id, version: "v3" }).returning({ id: modelVersions.id });
  const key = await seedKey(db, org.orgId, ["read", "write"]);
  return { orgId: org.orgId, modelId: m!.id, versionId: v!.id, model, version: "v3", key: key.key };
}

export interface Recorded {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver that answers each request with the next status in `statuses` (the last one repeats). */
export function recordingFetch(statuses: number[] = [200]): { fetch: FetchLike; requests: Recorded[] } {
  const requests: Recorded[] = [];
  return {
    requests,
    fetch: async (url, init) => {
      requests.push({ url, headers: init.headers, body: init.body });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)]!;
      const nullBody = status === 204 || status === 205 || status === 304;
      return new Response(nullBody ? null : status < 300 ? "ok" : "receiver failed", { status });
    },
  };
}

let seq = 0;
export function evaluatorEvent(f: AlertFixture, ruleId: string, type: AlertEvent["type"], at: number, openedAt = at): AlertEnvelope {
  seq += 1;
  return {
    scope: { orgId: f.orgId, modelId: f.modelId, model: f.model, version: f.version },
    event: {
      id: `${ruleId}@${openedAt}:${type}:${at}:${seq}`, type, ruleId, ruleName: "Feature drift", ruleKind: "feature_drift", window: "5m", severity: "critical",
      firingId: `${ruleId}@${openedAt}`, at,
      evidence: { window: "5m", from: at - 300_000, to: at, value: 0.41, threshold: 0.1, summary: "1 feature(s) drifted; worst income", baseline: "v3-training", features: [{ feature: "income", method: "wasserstein_normed", score: 0.41, threshold: 0.1 }] },
    },
  };
}
