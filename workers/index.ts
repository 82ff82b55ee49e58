import { routePartykitRequest } from "partyserver";
import { createApp } from "./app.ts";
import type { Bindings } from "./env.ts";

export { ModelMonitor } from "../durable/model-monitor.ts";
export { AlertDispatcher } from "./alerts/dispatcher.ts";

const app = createApp();

export default {
  async fetch(request, env, ctx) {
    // Live dashboard sockets go straight to the model's Durable Object.
    const party = await routePartykitRequest(request, env as unknown as Env);
    if (party) return party;
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
