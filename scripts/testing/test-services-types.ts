/** What the workerd tests' global setup started, shared with tests via `inject("services")`. */
export interface TestServicesPlan {
  /** "server" when a real Postgres answers on 127.0.0.1:5432 (or VIGIL_TEST_PG), else "pglite". */
  postgres: "server" | "pglite";
  /** Admin URL to create/drop the per-run database (server mode only). */
  adminUrl: string;
  databaseUrl: string;
  relayPort: number;
  relayProxy: string;
  redisUrl: string | undefined;
  upstashPort: number;
  /** The Upstash REST adapter in front of redisUrl, when Redis runs. */
  upstashUrl: string | undefined;
  upstashToken: string;
}
