// A monitor's Durable Object name is `<orgId>:<model>:<version>`, so two orgs with a
// model of the same name never share an object. Dashboard URLs carry only
// `<model>:<version>`; the Worker adds the caller's org.
import { parseRoomName } from "../protocol.ts";

export function monitorName(orgId: string, model: string, version: string): string {
  return `${orgId}:${model}:${version}`;
}

/** The model and version of an object name; also accepts a bare `<model>:<version>`. */
export function parseMonitorName(name: string): { orgId: string | null; model: string; version: string } | undefined {
  const parts = name.split(":");
  if (parts.length >= 3) {
    const [orgId, model, ...rest] = parts;
    const version = rest.join(":");
    return orgId && model && version ? { orgId, model, version } : undefined;
  }
  const room = parseRoomName(name);
  return room ? { orgId: null, ...room } : undefined;
}
