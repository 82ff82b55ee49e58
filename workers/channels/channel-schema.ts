// The API shapes of a channel (routes/channels.ts serves them, alerts/channel-service.ts
// builds them). `config` is checked per kind by config.ts once the kind is known, so a
// bad field is named config.<field>; here it is any object.
import { z } from "@hono/zod-openapi";
import { CHANNEL_KINDS, type ChannelKind } from "./config.ts";

const kind = z.enum(CHANNEL_KINDS as [ChannelKind, ...ChannelKind[]]);

export const Channel = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind,
    config: z.record(z.string(), z.unknown()).describe("URLs show their origin and last 4 characters (`https://hooks.slack.com/…abcd`), credentials their last 4 (`…abcd`); for everyone"),
    models: z.array(z.string()).nullable().describe("model names this channel hears; null = every model"),
    enabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Channel");

export const CreatedChannel = Channel.extend({ secret: z.string().nullable().describe("the signing secret; shown only here") }).openapi("CreatedChannel");

export const ChannelInput = z
  .object({
    name: z.string().min(1).max(200),
    kind,
    config: z.record(z.string(), z.unknown()),
    models: z.array(z.string().min(1)).max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("ChannelInput");

export const ChannelPatch = z
  .object({ name: z.string().min(1).max(200).optional(), config: z.record(z.string(), z.unknown()).optional(), models: z.array(z.string().min(1)).max(500).nullable().optional(), enabled: z.boolean().optional() })
  .openapi("ChannelPatch");

export const TestDelivery = z
  .object({
    delivery_id: z.uuid(), ok: z.boolean(), status: z.string(), status_code: z.number().nullable(), latency_ms: z.number(), error: z.string().nullable(),
    response_excerpt: z.string().nullable().optional().describe("admins only: ≤ 200 redacted characters of a failing receiver's reply"),
  })
  .openapi("TestDelivery");
