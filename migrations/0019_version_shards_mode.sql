-- The "auto" shard mode (issue 23): `shards_mode` says whether `shards` is a user's fixed number or one the Worker raises while a monitor object stays overloaded (workers/registry/auto-shards.ts); `shards_changed_at` starts the auto mode's cool-down after any change of `shards`.
ALTER TABLE "model_versions" ADD COLUMN "shards_mode" text DEFAULT 'fixed' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "shards_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_shards_mode" CHECK ("shards_mode" IN ('fixed', 'auto'));
