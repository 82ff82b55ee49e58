-- Per-segment monitoring history (issue 18): segment "" is the whole traffic, else a tracked segment key; the point keys include it.
DROP INDEX "feature_scores_point";--> statement-breakpoint
DROP INDEX "monitor_aggregates_point";--> statement-breakpoint
ALTER TABLE "feature_scores" ADD COLUMN "segment" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "monitor_aggregates" ADD COLUMN "segment" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "feature_scores_point" ON "feature_scores" USING btree ("org_id","model","version","window","segment","feature","at");--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_aggregates_point" ON "monitor_aggregates" USING btree ("org_id","model","version","window","segment","at");
