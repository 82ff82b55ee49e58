// Applies the drizzle migrations to DATABASE_URL: `DATABASE_URL=postgres://… npm run db:migrate`.
import { applyMigrations } from "./lib/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set\n");
  process.exit(2);
}
await applyMigrations(url);
process.stdout.write("migrations applied\n");
