import { connect } from "node:net";
import { freePort } from "../lib/ports.ts";
import type { TestServicesPlan } from "./test-services-types.ts";

export type { TestServicesPlan };

export const UPSTASH_TEST_TOKEN = "vigil-test-token";


function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Decided once when the workers project's config loads (the plan travels to the
 * global setup through process.env, since both run in the vitest main process):
 * which Postgres and Redis the run uses, and the ports the relay and the Upstash
 * adapter will take. Each run gets its own database, so runs never see each other's rows.
 */
export async function planTestServices(): Promise<TestServicesPlan> {
  const existing = process.env.VIGIL_TEST_PLAN;
  if (existing) return JSON.parse(existing) as TestServicesPlan;
  const pgBase = new URL(process.env.VIGIL_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test");
  const server = await reachable(pgBase.hostname, Number(pgBase.port || 5432));
  const relayPort = await freePort();
  const dbName = `vigil_test_${process.pid}_${Date.now().toString(36)}`;
  let databaseUrl: string;
  if (server) {
    const u = new URL(pgBase);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  } else {
    databaseUrl = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
  }
  const redisBase = new URL(process.env.VIGIL_TEST_REDIS ?? "redis://127.0.0.1:6379");
  const redis = (await reachable(redisBase.hostname, Number(redisBase.port || 6379))) ? redisBase.toString() : undefined;
  const upstashPort = await freePort();
  const plan: TestServicesPlan = {
    postgres: server ? "server" : "pglite",
    adminUrl: pgBase.toString(),
    databaseUrl,
    relayPort,
    relayProxy: `127.0.0.1:${relayPort}/v2`,
    redisUrl: redis,
    upstashPort,
    upstashUrl: redis ? `http://127.0.0.1:${upstashPort}` : undefined,
    upstashToken: UPSTASH_TEST_TOKEN,
  };
  process.env.VIGIL_TEST_PLAN = JSON.stringify(plan);
  return plan;
}
