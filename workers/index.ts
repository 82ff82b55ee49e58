import { createApp } from "./app.ts";
import type { Bindings } from "./env.ts";

export { AlertDispatcher, ModelMonitor, OrgRateLimiter } from "./durable-objects.ts";

const app = createApp();

export default {
  // Live dashboard sockets (/parties/model-monitor/…) are authenticated and routed to
  // the caller's org's object by workers/routes/live.ts.
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Bindings>;
