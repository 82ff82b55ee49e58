import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema/index.ts";
import { logError } from "../security/log-safe.ts";

export type Database = NeonDatabase<typeof schema> & { $client: Pool };

let configuredProxy: string | undefined;

/**
 * Points the Neon driver at the local WebSocket→TCP relay when one is configured.
 * Locally there is no TLS and no Neon proxy, so pipelining the startup and password
 * messages (Neon's default latency trick) must be off: plain Postgres and PGlite
 * expect the messages one round trip at a time.
 */
function configureNeon(relay: string) {
  if (configuredProxy === relay) return;
  configuredProxy = relay;
  if (relay) {
    neonConfig.wsProxy = (host, port) => `${relay}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
    neonConfig.forceDisablePgSSL = true;
  }
}

/**
 * Opens a Pool for one request. Workers may not reuse I/O objects across requests,
 * so a Pool lives exactly as long as the request that made it; the caller ends it
 * with `waitUntil(pool.end())` after the response is sent. A request gives up on a
 * connection after 5 s; test fixtures, which open many pools at once on a loaded machine,
 * wait longer.
 */
export function openDatabase(databaseUrl: string, relay = "", connectTimeoutMs = 5_000): Database {
  configureNeon(relay);
  const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: connectTimeoutMs });
  // A dropped socket surfaces here; without a listener it would crash the isolate.
  pool.on("error", (err: Error) => logError("postgres pool error", err));
  return drizzle({ client: pool, schema });
}
