-- Reports (issue 16; workers/reports/): drift, performance, model-risk, audit-trail and
-- gdpr-processing documents in PDF, HTML or JSON, generated on demand or on a schedule.
-- A report row keeps the exact query, the audit chain anchor it embeds, its SHA-256 and
-- where its bytes live: in report_files (bytea) locally, in R2 (object key) in production.
-- A failed generation keeps its reason in "error" and has no file.
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"query" jsonb NOT NULL,
	"project_id" uuid,
	"model" text,
	"version" text,
	"range_from" timestamp with time zone NOT NULL,
	"range_to" timestamp with time zone NOT NULL,
	"schedule_id" uuid,
	"created_by" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"generator" text NOT NULL,
	"anchor" jsonb,
	"sha256" text,
	"content_sha256" text,
	"size_bytes" integer,
	"content_type" text,
	"file_name" text,
	"storage" text,
	"object_key" text,
	"duration_ms" integer,
	"error" text,
	CONSTRAINT "reports_kind" CHECK ("kind" in ('drift', 'performance', 'model-risk', 'audit-trail', 'gdpr-processing')),
	CONSTRAINT "reports_format" CHECK ("format" in ('pdf', 'html', 'json')),
	CONSTRAINT "reports_status" CHECK ("status" in ('running', 'succeeded', 'failed')),
	CONSTRAINT "reports_storage" CHECK ("storage" is null or "storage" in ('postgres', 'r2')),
	CONSTRAINT "reports_sha256" CHECK ("sha256" is null or "sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "reports_range" CHECK ("range_from" < "range_to")
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "reports_org_created" ON "reports" USING btree ("org_id","created_at","id");
--> statement-breakpoint
CREATE TABLE "report_files" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"bytes" bytea NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_files" ADD CONSTRAINT "report_files_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"project_id" uuid,
	"model" text,
	"version" text,
	"cron" text NOT NULL,
	"range_hours" integer NOT NULL,
	"channels" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_report_id" uuid,
	"last_error" text,
	CONSTRAINT "report_schedules_kind" CHECK ("kind" in ('drift', 'performance', 'model-risk', 'audit-trail', 'gdpr-processing')),
	CONSTRAINT "report_schedules_format" CHECK ("format" in ('pdf', 'html', 'json')),
	CONSTRAINT "report_schedules_range" CHECK ("range_hours" between 1 and 2208)
);
--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "report_schedules_org" ON "report_schedules" USING btree ("org_id","created_at","id");
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_schedule_id_report_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."report_schedules"("id") ON DELETE set null ON UPDATE no action;
