CREATE TABLE "sink_failures" (
	"sink" text PRIMARY KEY NOT NULL,
	"failures" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_failed_at" timestamp with time zone
);
