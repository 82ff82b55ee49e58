import { describe, expect, it } from "vitest";
import { adaptiveCard } from "./teams.ts";
import { buildRequest } from "./request.ts";
import { RESOLVED_NOTIFICATION, SAMPLE_NOTIFICATION, target } from "./testing.ts";
import { githubDispatch, pagerDutyEvent, slackMessage, teamsMessage } from "./vendor-contracts.ts";
import { verifySignature } from "./signature.ts";
import githubFixture from "./fixtures/github-dispatch.json";
import slackVendor from "./fixtures/vendor/slack.json";
import pagerDutyVendor from "./fixtures/vendor/pagerduty.json";
import teamsVendor from "./fixtures/vendor/teams.json";

const NOW = 1795683600;

// Structural contract against the vendors' own published examples (fixtures/vendor, pages
// cited there), not against a recording of Vigil's output.

type Obj = Record<string, unknown>;
const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isObj = (v: unknown): v is Obj => kindOf(v) === "object";
const typeOf = (v: unknown) => (isObj(v) && typeof v.type === "string" ? v.type : undefined);

/** Every object with a string `type` in the vendor's examples, by type, the fields of its occurrences merged. */
function catalog(...examples: unknown[]): Map<string, Obj> {
  const out = new Map<string, Obj>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObj(v)) return;
    const t = typeOf(v);
    if (t) out.set(t, { ...v, ...out.get(t) });
    Object.values(v).forEach(walk);
  };
  examples.forEach(walk);
  return out;
}

/** Where `actual` departs from the example's structure: a type the vendor never shows, or a shared field of another JSON type. */
function departures(actual: unknown, example: unknown, types: Map<string, Obj>, path = "$"): string[] {
  const t = typeOf(actual);
  const ex = t !== undefined ? types.get(t) : example;
  if (t !== undefined && !ex) return [`${path}: type "${t}" appears in none of the vendor's examples`];
  if (kindOf(actual) !== kindOf(ex)) return [`${path}: ${kindOf(actual)} where the vendor's example has ${kindOf(ex)}`];
  if (Array.isArray(actual)) return actual.flatMap((el, i) => departures(el, (ex as unknown[])[0], types, `${path}[${i}]`));
  if (!isObj(actual)) return [];
  return Object.keys(actual).filter((k) => k in (ex as Obj)).flatMap((k) => departures(actual[k], (ex as Obj)[k], types, `${path}.${k}`));
}

/** Fields the vendor marks required, missing from any object of that `type` (or of the named part). */
function missingRequired(actual: unknown, required: Record<string, string[]>, path = "$"): string[] {
  if (Array.isArray(actual)) return actual.flatMap((el, i) => missingRequired(el, required, `${path}[${i}]`));
  if (!isObj(actual)) return [];
  const t = typeOf(actual);
  const own = t && required[t] ? required[t]!.filter((k) => !(k in actual)).map((k) => `${path}: ${t} lacks required "${k}"`) : [];
  return [...own, ...Object.entries(actual).flatMap(([k, v]) => missingRequired(v, required, `${path}.${k}`))];
}

function slackDepartures(b: unknown): string[] {
  const blocks = isObj(b) && Array.isArray(b.blocks) ? b.blocks : [];
  return [
    ...departures(b, slackVendor.examples.incoming_webhook, catalog(...Object.values(slackVendor.examples))),
    ...slackVendor.required.message.filter((k) => !isObj(b) || !(k in b)).map((k) => `$: message lacks "${k}"`),
    ...missingRequired(blocks, slackVendor.required, "$.blocks"),
    ...blocks.filter((x) => typeOf(x) === "section" && !("text" in (x as Obj)) && !("fields" in (x as Obj))).map(() => "$.blocks: a section needs text or fields"),
  ];
}

function pagerDutyDepartures(e: Obj): string[] {
  const r = pagerDutyVendor.required;
  const payload = isObj(e.payload) ? e.payload : {};
  return [
    ...departures(e, pagerDutyVendor.examples.trigger, new Map()),
    ...r.event.filter((k) => !(k in e)).map((k) => `$: event lacks "${k}"`),
    ...(e.event_action === "trigger" ? [...r.trigger.filter((k) => !(k in e)), ...r.payload.filter((k) => !(k in payload))].map((k) => `$: a trigger lacks "${k}"`) : r.event_not_trigger.filter((k) => !(k in e)).map((k) => `$: a ${String(e.event_action)} lacks "${k}"`)),
    ...(pagerDutyVendor.enums.event_action.includes(String(e.event_action)) ? [] : [`$.event_action: "${String(e.event_action)}" is not a documented action`]),
    ...("severity" in payload && !pagerDutyVendor.enums.severity.includes(String(payload.severity)) ? [`$.payload.severity: "${String(payload.severity)}" is not a documented severity`] : []),
    ...(Array.isArray(e.links) ? e.links.filter((l) => !isObj(l) || !("href" in l)).map(() => "$.links: a link lacks \"href\"") : []),
  ];
}

function teamsDepartures(m: Obj): string[] {
  const attachments = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
  const cards = attachments.map((a) => (isObj(a.content) ? a.content : {}));
  const r = teamsVendor.required;
  return [
    ...departures(m, teamsVendor.examples.incoming_webhook, catalog(...Object.values(teamsVendor.examples))),
    ...r.message.filter((k) => !(k in m)).map((k) => `$: message lacks "${k}"`),
    ...(m.type === "message" ? [] : ['$.type: must be "message"']),
    ...attachments.flatMap((a, i) => [
      ...r.attachment.filter((k) => !(k in a)).map((k) => `$.attachments[${i}] lacks "${k}"`),
      ...(a.contentType === "application/vnd.microsoft.card.adaptive" ? [] : [`$.attachments[${i}].contentType: not the Adaptive Card type`]),
    ]),
    ...cards.flatMap((c, i) => [
      ...r.card.filter((k) => !(k in c)).map((k) => `$.attachments[${i}].content lacks "${k}"`),
      ...(Number(c.version) <= Number(teamsVendor.max_version) ? [] : [`$.attachments[${i}].content.version: ${String(c.version)} is past what Teams renders (${teamsVendor.max_version})`]),
      ...(Array.isArray(c.actions) ? c.actions.map(typeOf).filter((t) => !teamsVendor.supported_actions.includes(String(t))).map((t) => `$.attachments[${i}].content.actions: ${String(t)} is not supported in incoming webhooks`) : []),
      ...missingRequired(c.body, r, `$.attachments[${i}].content.body`),
      ...missingRequired(c.actions ?? [], r, `$.attachments[${i}].content.actions`),
      ...(Array.isArray(c.body) ? c.body.filter((x) => typeOf(x) === "FactSet").flatMap((x) => missingRequired(((x as Obj).facts as unknown[]).map((f) => ({ type: "fact", ...(f as Obj) })), r)) : []),
    ]),
  ];
}
const body = async (kind: Parameters<typeof target>[0], config: Record<string, unknown>, n = SAMPLE_NOTIFICATION) =>
  JSON.parse((await buildRequest(target(kind, config), n, "d-1", NOW)).body) as Record<string, unknown>;

describe("the structural check against vendor examples can fail", () => {
  it("accepts the vendors' own examples", () => {
    expect(slackDepartures(slackVendor.examples.incoming_webhook)).toEqual([]);
    expect(pagerDutyDepartures(pagerDutyVendor.examples.trigger)).toEqual([]);
    expect(teamsDepartures(teamsVendor.examples.incoming_webhook)).toEqual([]);
  });

  it("names a block type the vendor never shows, a field of the wrong JSON type, a missing required field and an undocumented value", () => {
    const ex = slackVendor.examples.incoming_webhook;
    expect(slackDepartures({ ...ex, blocks: [{ type: "sectoin", text: { type: "mrkdwn", text: "x" } }] })).toEqual(['$.blocks[0]: type "sectoin" appears in none of the vendor\'s examples']);
    expect(slackDepartures({ ...ex, blocks: [{ type: "section", fields: "*a*" }] })).toEqual(["$.blocks[0].fields: string where the vendor's example has array"]);
    expect(slackDepartures({ blocks: ex.blocks })).toEqual(['$: message lacks "text"']);
    expect(slackDepartures({ ...ex, blocks: [{ type: "header" }] })).toEqual(['$.blocks[0]: header lacks required "text"']);
    const trigger = pagerDutyVendor.examples.trigger;
    expect(pagerDutyDepartures({ ...trigger, payload: { ...trigger.payload, severity: "high" } })).toEqual(['$.payload.severity: "high" is not a documented severity']);
    expect(pagerDutyDepartures({ ...trigger, dedup_key: 42 })).toEqual(["$.dedup_key: number where the vendor's example has string"]);
    expect(pagerDutyDepartures({ routing_key: "k", event_action: "resolve" })).toEqual(['$: a resolve lacks "dedup_key"']);
    const card = teamsVendor.examples.incoming_webhook;
    const content = card.attachments[0]!.content;
    expect(teamsDepartures({ ...card, attachments: [{ ...card.attachments[0]!, content: { ...content, actions: [{ type: "Action.Submit", title: "OK" }] } }] })).toEqual(["$.attachments[0].content.actions: Action.Submit is not supported in incoming webhooks"]);
    expect(teamsDepartures({ ...card, attachments: [{ ...card.attachments[0]!, content: { ...content, version: "1.6" } }] })).toEqual(["$.attachments[0].content.version: 1.6 is past what Teams renders (1.5)"]);
  });
});

describe("channel payloads match the vendors' documented contracts and published examples", () => {
  it("Slack: Block Kit with model, rule, scores and a dashboard button", async () => {
    const b = await body("slack", { url: "https://hooks.slack.com/services/T/B/X" });
    expect(slackMessage.safeParse(b).error).toBeUndefined();
    expect(slackDepartures(b)).toEqual([]);
    expect((b.blocks as Obj[]).map(typeOf)).toEqual(["header", "section", "section", "section", "actions"]);
    const text = JSON.stringify(b);
    expect(text).toContain("credit-risk v3");
    expect(text).toContain("income: wasserstein_normed 0.412 (threshold 0.1)");
    expect(text).toContain(SAMPLE_NOTIFICATION.links.alert);
  });

  it("PagerDuty: trigger with mapped severity, then resolve with the same dedup_key", async () => {
    const trigger = await body("pagerduty", { routing_key: "R0UT1NGKEY00000000000000000000AB" });
    expect(pagerDutyEvent.safeParse(trigger).error).toBeUndefined();
    expect(pagerDutyDepartures(trigger)).toEqual([]);
    expect(trigger).toMatchObject({ routing_key: "R0UT1NGKEY00000000000000000000AB", event_action: "trigger", payload: { summary: "[CRITICAL] Feature drift on credit-risk v3", severity: "critical" } });
    expect(trigger.links).toEqual([{ href: SAMPLE_NOTIFICATION.links.alert, text: "Open in Vigil" }]);
    const resolve = await body("pagerduty", { routing_key: "R0UT1NGKEY00000000000000000000AB" }, RESOLVED_NOTIFICATION);
    expect(pagerDutyEvent.safeParse(resolve).error).toBeUndefined();
    expect(pagerDutyDepartures(resolve)).toEqual([]);
    expect(resolve).toEqual({ routing_key: "R0UT1NGKEY00000000000000000000AB", event_action: "resolve", dedup_key: trigger.dedup_key });
  });

  it.each([["critical", "critical"], ["warning", "warning"], ["info", "info"]] as const)("PagerDuty maps severity %s to %s", async (ours, theirs) => {
    const n = { ...SAMPLE_NOTIFICATION, alert: { ...SAMPLE_NOTIFICATION.alert!, severity: ours } };
    const b = await body("pagerduty", { routing_key: "k" }, n);
    expect((b.payload as { severity: string }).severity).toBe(theirs);
  });

  it("PagerDuty sends to the Events API unless a url overrides it", async () => {
    expect((await buildRequest(target("pagerduty", { routing_key: "k" }), SAMPLE_NOTIFICATION, "d", NOW)).url).toBe("https://events.pagerduty.com/v2/enqueue");
  });

  it("Teams: one Adaptive Card attachment", async () => {
    const b = await body("teams", { url: "https://prod-00.westus.logic.azure.com/workflows/x" });
    expect(teamsMessage.safeParse(b).error).toBeUndefined();
    expect(teamsDepartures(b)).toEqual([]);
    const card = (b.attachments as Obj[])[0]!.content as Obj;
    expect((card.body as Obj[]).map(typeOf)).toEqual(["TextBlock", "FactSet", "TextBlock", "FactSet"]);
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Vigil", url: SAMPLE_NOTIFICATION.links.alert }]);
    expect(adaptiveCard(RESOLVED_NOTIFICATION).body).toContainEqual(expect.objectContaining({ color: "Good" }));
  });

  it("Retrain via GitHub repository_dispatch carries the evidence in client_payload", async () => {
    const req = await buildRequest(target("retrain", { format: "github", repo: "acme/models", token: "ghp_x", event_type: "retrain-credit-risk" }), { ...SAMPLE_NOTIFICATION, type: "retrain.requested" }, "d-1", NOW);
    expect(req.url).toBe("https://api.github.com/repos/acme/models/dispatches");
    expect(req.headers).toMatchObject({ accept: "application/vnd.github+json", authorization: "Bearer ghp_x", "x-github-api-version": "2022-11-28" });
    const b = JSON.parse(req.body);
    expect(githubDispatch.safeParse(b).error).toBeUndefined();
    expect(b).toEqual(githubFixture);
  });

  it("Retrain via generic webhook is signed and carries the same evidence", async () => {
    const req = await buildRequest(target("retrain", { url: "https://ml.example.com/retrain" }, "whsec_r"), { ...SAMPLE_NOTIFICATION, type: "retrain.requested" }, "d-9", NOW);
    expect(req.headers["idempotency-key"]).toBe("d-9");
    expect(req.headers["webhook-id"]).toBe("d-9");
    expect(await verifySignature("whsec_r", req.body, req.headers["vigil-signature"]!, NOW)).toEqual({ ok: true, timestamp: NOW });
    expect(await verifySignature("whsec_r", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: "d-9" })).toEqual({ ok: true, timestamp: NOW });
    const b = JSON.parse(req.body);
    expect(b.evidence).toEqual((githubFixture as { client_payload: unknown }).client_payload);
  });

  it("Generic webhook: the notification itself, signed over t.body, with the delivery id as Idempotency-Key", async () => {
    const req = await buildRequest(target("webhook", { url: "https://example.com/hook" }, "whsec_w"), SAMPLE_NOTIFICATION, "d-42", NOW);
    expect(JSON.parse(req.body)).toEqual(SAMPLE_NOTIFICATION);
    expect(req.headers["idempotency-key"]).toBe("d-42");
    expect(req.headers["vigil-signature"]).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64},v2=[0-9a-f]{64}$`));
    expect((await verifySignature("whsec_w", req.body, req.headers["vigil-signature"]!, NOW)).ok).toBe(true);
    expect((await verifySignature("whsec_w", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: "d-42" })).ok).toBe(true);
    // Standard Webhooks: the delivery id, this attempt's time, a v1 signature.
    expect(req.headers).toMatchObject({ "webhook-id": "d-42", "webhook-timestamp": String(NOW), "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) });
  });

  it("Slack, Teams and PagerDuty requests carry no Vigil headers their vendors would not expect", async () => {
    for (const [kind, config] of [["slack", { url: "https://hooks.slack.com/services/T/B/X" }], ["teams", { url: "https://example.com/wf" }], ["pagerduty", { routing_key: "k" }]] as const) {
      const req = await buildRequest(target(kind, config, "whsec_unused"), SAMPLE_NOTIFICATION, "d-1", NOW);
      expect(Object.keys(req.headers)).toEqual(["content-type"]);
    }
  });
});
