// All tables, one file per concern. drizzle-kit reads this folder (drizzle.config.ts).
export * from "./registry.ts";
export * from "./alerts.ts";
export * from "./users.ts";
export * from "./monitoring.ts";
export * from "./erasure.ts";
export * from "./signatures.ts";
export * from "./observability.ts";
export * from "./impact.ts";
export * from "./retention.ts";
export * from "./report-schedules.ts";
export * from "./reports.ts";
