CREATE TABLE "value_matrices" (
	"version_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"matrix" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_series" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"model" text NOT NULL,
	"version" text NOT NULL,
	"granularity" text NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"rows" bigint NOT NULL,
	"labeled" bigint NOT NULL,
	"drift_share" double precision,
	"drifted" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"feature_scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prediction_score" double precision,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"perf" jsonb,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_outcomes" ADD COLUMN "version" text;--> statement-breakpoint
ALTER TABLE "business_outcomes" ADD COLUMN "segment" jsonb;--> statement-breakpoint
ALTER TABLE "value_matrices" ADD CONSTRAINT "value_matrices_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_matrices" ADD CONSTRAINT "value_matrices_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_series" ADD CONSTRAINT "monitor_series_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_series_point" ON "monitor_series" USING btree ("org_id","model","version","granularity","t");--> statement-breakpoint
CREATE INDEX "monitor_series_retention" ON "monitor_series" USING btree ("org_id","model","t");
