-- Monitor shards per model version (issue 23): ingest is split across `shards` Durable Objects by prediction id; `shards_max` is the most it ever had (the coordinator merges from all of them).
ALTER TABLE "model_versions" ADD COLUMN "shards" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "shards_max" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_shards_range" CHECK ("shards" BETWEEN 1 AND 16 AND "shards_max" >= "shards");
