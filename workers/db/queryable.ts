import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

/**
 * Any drizzle Postgres handle with our schema: the Neon database in the Worker, a
 * node-postgres one in scripts, or a transaction on either. Services take this so a
 * caller can run them inside its own transaction.
 */
export type Queryable = PgDatabase<PgQueryResultHKT, typeof schema, any>;
