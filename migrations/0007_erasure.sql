CREATE TABLE "erasure_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"model" text,
	"subject_id" text,
	"prediction_ids" jsonb,
	"target" jsonb NOT NULL,
	"requested_by" jsonb NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"removed" jsonb,
	"certificate" jsonb,
	"certificate_sha256" text,
	"audit_id" bigint,
	"error" text,
	CONSTRAINT "erasure_requests_status" CHECK ("status" in ('pending', 'running', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "erasure_requests_org_time" ON "erasure_requests" USING btree ("org_id","requested_at","id");
--> statement-breakpoint
CREATE INDEX "erasure_requests_unfinished" ON "erasure_requests" USING btree ("status") WHERE status in ('pending', 'running');
--> statement-breakpoint
ALTER TABLE "business_outcomes" ADD COLUMN "subject_id" text;
--> statement-breakpoint
CREATE INDEX "business_outcomes_subject" ON "business_outcomes" USING btree ("org_id","subject_id") WHERE "subject_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "business_outcomes_prediction" ON "business_outcomes" USING btree ("org_id","prediction_id") WHERE "prediction_id" IS NOT NULL;
