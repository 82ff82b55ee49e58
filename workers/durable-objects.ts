// The Worker's Durable Objects, wired to this deployment: the composition root where the
// objects of durable/ meet the Worker's bindings and sinks. durable/ stays free of
// Worker imports; the classes wrangler.toml names are the ones exported here.
import { ModelMonitorServer } from "../durable/model-monitor.ts";
import type { Sink } from "../durable/monitor/outbox.ts";
import type { Bindings } from "./env.ts";
import { sinksFor } from "./sinks/outbox-sinks.ts";

export { OrgRateLimiter } from "../durable/org-rate-limiter.ts";
export { AlertDispatcher } from "./alerts/dispatcher.ts";

/** One per monitored model version; drains its outbox to the sinks this deployment configures. */
export class ModelMonitor extends ModelMonitorServer {
  protected override sinks(): Sink[] {
    // The secrets (DATABASE_URL, Redis, Kafka) are set per deployment, outside the generated Env.
    return sinksFor(this.env as Bindings);
  }
}
