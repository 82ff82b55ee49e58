// The API shapes of alerts, their activity and their deliveries, validated and
// documented with zod (routes/alerts.ts serves them; alert-service.ts and
// delivery-service.ts build them).
import { z } from "@hono/zod-openapi";

const STATUSES = ["open", "acknowledged", "resolved"] as const;
const SEVERITIES = ["info", "warning", "critical"] as const;

export const Alert = z
  .object({
    id: z.uuid(), status: z.enum(STATUSES), severity: z.enum(SEVERITIES), model: z.string(), version: z.string(),
    rule: z.object({ id: z.string().nullable(), name: z.string(), kind: z.string() }), window: z.string(), summary: z.string(),
    value: z.number().nullable(), threshold: z.number().nullable(),
    features: z.array(z.object({ feature: z.string(), method: z.string().optional(), score: z.number(), threshold: z.number() })),
    window_from: z.string().nullable(), window_to: z.string().nullable(), baseline: z.string().nullable(),
    opened_at: z.string(), acknowledged_at: z.string().nullable(), resolved_at: z.string().nullable(), fire_count: z.number(),
    acknowledged_by: z.string().nullable(), resolved_by: z.string().nullable(), last_fired_at: z.string(),
  })
  .openapi("Alert");

export const AlertActivity = z
  .object({ at: z.string(), action: z.string(), from_status: z.string().nullable(), to_status: z.string(), actor_type: z.string(), actor_id: z.string(), note: z.string().nullable() })
  .openapi("AlertActivity");

export const AlertWithActivity = Alert.extend({ activity: z.array(AlertActivity) });

export const AlertQuery = z.object({
  model: z.string().min(1).optional(), version: z.string().min(1).optional(), status: z.enum(STATUSES).optional(), severity: z.enum(SEVERITIES).optional(),
  from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AlertNote = z.object({ note: z.string().max(2000).optional() }).openapi("AlertNote");

const Attempt = z.object({ attempt: z.number(), at: z.string(), ok: z.boolean(), status_code: z.number().nullable(), latency_ms: z.number(), error: z.string().nullable() });

export const Delivery = z
  .object({
    id: z.uuid().describe("also the Idempotency-Key sent"), channel_id: z.uuid(), alert_id: z.uuid().nullable(), event: z.string(),
    status: z.enum(["pending", "delivering", "delivered", "dead", "awaiting_approval"]), attempts: z.number(),
    next_attempt_at: z.string().nullable(), last_status_code: z.number().nullable(), last_latency_ms: z.number().nullable(),
    last_error: z.string().nullable(), delivered_at: z.string().nullable(), created_at: z.string(), log: z.array(Attempt),
  })
  .openapi("Delivery");
