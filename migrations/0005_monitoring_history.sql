CREATE TABLE "business_outcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"model" text NOT NULL,
	"prediction_id" text,
	"at" timestamp with time zone NOT NULL,
	"kpi" text NOT NULL,
	"value" double precision NOT NULL,
	"batch_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feature_scores" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"model" text NOT NULL,
	"version" text NOT NULL,
	"window" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"feature" text NOT NULL,
	"method" text NOT NULL,
	"score" double precision,
	"threshold" double precision NOT NULL,
	"drifted" boolean NOT NULL,
	"count" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_aggregates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"model" text NOT NULL,
	"version" text NOT NULL,
	"window" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"tick" bigint NOT NULL,
	"rows" bigint NOT NULL,
	"drift_share" double precision,
	"drifted_features" integer NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_outcomes" ADD CONSTRAINT "business_outcomes_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feature_scores" ADD CONSTRAINT "feature_scores_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_aggregates" ADD CONSTRAINT "monitor_aggregates_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "business_outcomes_series" ON "business_outcomes" USING btree ("org_id","model","kpi","at");--> statement-breakpoint
CREATE UNIQUE INDEX "business_outcomes_batch" ON "business_outcomes" USING btree ("org_id","model","batch_id","prediction_id","kpi","at");--> statement-breakpoint
CREATE UNIQUE INDEX "feature_scores_point" ON "feature_scores" USING btree ("org_id","model","version","window","feature","at");--> statement-breakpoint
CREATE INDEX "feature_scores_series" ON "feature_scores" USING btree ("org_id","model","version","feature","at");--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_aggregates_point" ON "monitor_aggregates" USING btree ("org_id","model","version","window","at");