import { createApp } from "./app.ts";
import type { Bindings } from "./env.ts";
import { runScheduled } from "./scheduled/index.ts";

export { AlertDispatcher, ModelMonitor, OrgRateLimiter } from "./durable-objects.ts";

const app = createApp();

export default {
  // Live dashboard sockets (/parties/model-monitor/…) are authenticated and routed to
  // the caller's org's object by workers/routes/live.ts.
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  // Cron triggers (workers/scheduled/): hourly audit anchors to Kafka, daily retention, report schedules every minute.
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller.cron, env, new Date(controller.scheduledTime))),
} satisfies ExportedHandler<Bindings>;
