// Request schemas for channels: one config shape per kind, so a bad field is named
// (config.routing_key, config.hold_minutes, …). URL safety is checked separately,
// since it depends on the deployment (url-guard.ts); how credentials are shown and
// written back is redact-config.ts.
import { z } from "@hono/zod-openapi";
import { RULE_KINDS } from "../../durable/alerts/rules.ts";

const url = z.string().max(2048).describe("https URL of the receiver");
const secret = z.string().min(16).max(256).optional().describe("HMAC secret; generated when omitted, shown once");

export const webhookConfig = z.object({ url, secret }).strict();
export const slackConfig = z.object({ url: url.describe("Slack incoming webhook URL") }).strict();
export const teamsConfig = z.object({ url: url.describe("Teams workflow webhook URL") }).strict();
export const pagerDutyConfig = z
  .object({
    routing_key: z.string().min(1).max(64).describe("Events API v2 integration key"),
    url: url.optional().describe("Events API endpoint; defaults to https://events.pagerduty.com/v2/enqueue"),
  })
  .strict();
export const retrainConfig = z
  .object({
    format: z.enum(["webhook", "github"]).default("webhook"),
    url: url.optional().describe("format=webhook: where to POST the signed evidence"),
    secret,
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name").optional().describe("format=github: repository for repository_dispatch"),
    token: z.string().min(1).optional().describe("format=github: token with repo scope"),
    event_type: z.string().min(1).max(100).optional(),
    api_url: url.optional().describe("format=github: API base, for GitHub Enterprise"),
    rules: z.array(z.uuid()).min(1).optional().describe("rule ids that may trigger; default: drift rule kinds"),
    rule_kinds: z.array(z.enum(RULE_KINDS as [string, ...string[]])).min(1).optional(),
    hold_minutes: z.number().int().min(0).max(7 * 24 * 60).default(30).describe("how long the alert must stay open"),
    cooldown_minutes: z.number().int().min(0).max(30 * 24 * 60).default(24 * 60),
    require_approval: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.format === "webhook" && !c.url) ctx.addIssue({ code: "custom", path: ["url"], message: "required when format is webhook" });
    if (c.format === "github" && !c.repo) ctx.addIssue({ code: "custom", path: ["repo"], message: "required when format is github" });
    if (c.format === "github" && !c.token) ctx.addIssue({ code: "custom", path: ["token"], message: "required when format is github" });
  });

export const CONFIG_BY_KIND = { webhook: webhookConfig, slack: slackConfig, pagerduty: pagerDutyConfig, teams: teamsConfig, retrain: retrainConfig } as const;
export type ChannelKind = keyof typeof CONFIG_BY_KIND;
export const CHANNEL_KINDS = Object.keys(CONFIG_BY_KIND) as ChannelKind[];

/** Kinds whose requests carry a Vigil-Signature and so need a secret. */
export function isSigned(kind: ChannelKind, config: Record<string, unknown>): boolean {
  return kind === "webhook" || (kind === "retrain" && config.format !== "github");
}

/** Every URL field in a config, with its path for error messages. */
export function configUrls(config: Record<string, unknown>): Array<[string, unknown]> {
  return (["url", "api_url"] as const).filter((k) => config[k] !== undefined).map((k) => [`config.${k}`, config[k]]);
}
