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

/**
 * Shard `i` of a sharded version (issue 23): shard 0 is the version's own object (the
 * coordinator), so one shard is exactly today's single object; shard i ≥ 1 is
 * `<name>#shard-i`.
 */
export function shardObjectName(name: string, shard: number): string {
  return shard === 0 ? name : `${name}#shard-${shard}`;
}

/** The coordinator's name and the shard index of a shard object's name; null for a coordinator (or an unsharded object). */
export function parseShardName(name: string): { coordinator: string; shard: number } | null {
  const match = /^(.*)#shard-([1-9][0-9]?)$/.exec(name);
  return match ? { coordinator: match[1]!, shard: Number(match[2]) } : null;
}
