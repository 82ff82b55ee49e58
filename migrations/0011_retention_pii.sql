-- Retention policies (issue 15, section 2): one row per org (absent: the documented
-- defaults, workers/retention/policy.ts) and optional per-model overrides of the stores
-- that belong to a model. Days are whole, 1 to 3650.
CREATE TABLE "retention_policies" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"raw_events_days" integer NOT NULL,
	"labels_days" integer NOT NULL,
	"aggregates_days" integer NOT NULL,
	"outcomes_days" integer NOT NULL,
	"deliveries_days" integer NOT NULL,
	"audit_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" jsonb NOT NULL,
	CONSTRAINT "retention_policies_days" CHECK ("raw_events_days" BETWEEN 1 AND 3650 AND "labels_days" BETWEEN 1 AND 3650 AND "aggregates_days" BETWEEN 1 AND 3650
		AND "outcomes_days" BETWEEN 1 AND 3650 AND "deliveries_days" BETWEEN 1 AND 3650 AND "audit_days" BETWEEN 1 AND 3650)
);
--> statement-breakpoint
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "model_retention" (
	"model_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"raw_events_days" integer,
	"labels_days" integer,
	"aggregates_days" integer,
	"outcomes_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" jsonb NOT NULL,
	CONSTRAINT "model_retention_days" CHECK (coalesce("raw_events_days", 1) BETWEEN 1 AND 3650 AND coalesce("labels_days", 1) BETWEEN 1 AND 3650
		AND coalesce("aggregates_days", 1) BETWEEN 1 AND 3650 AND coalesce("outcomes_days", 1) BETWEEN 1 AND 3650)
);
--> statement-breakpoint
ALTER TABLE "model_retention" ADD CONSTRAINT "model_retention_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "model_retention" ADD CONSTRAINT "model_retention_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "model_retention_org" ON "model_retention" USING btree ("org_id");
--> statement-breakpoint
-- Audit retention: a prefix of an org's chain leaves audit_log only after it was exported
-- here (or to R2, `object_key`), with the hash its last record ends on; the remaining chain
-- starts from that hash, so verification still passes (docs/audit.md, Retention).
CREATE TABLE "audit_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"first_id" bigint NOT NULL,
	"last_id" bigint NOT NULL,
	"records" integer NOT NULL,
	"first_prev_hash" text NOT NULL,
	"last_hash" text NOT NULL,
	"cutoff" timestamp with time zone NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"location" text NOT NULL,
	"object_key" text,
	"body" text,
	"exported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_exports_location" CHECK (("location" = 'postgres' AND "body" IS NOT NULL) OR ("location" = 'r2' AND "object_key" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_exports_org_last" ON "audit_exports" USING btree ("org_id","last_id");
--> statement-breakpoint
-- The append-only trigger (0003) now lets exactly one kind of DELETE through: an org's
-- record that an audit_exports row already covers. UPDATE and TRUNCATE stay refused.
CREATE OR REPLACE FUNCTION vigil_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.org_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM audit_exports e WHERE e.org_id = OLD.org_id AND OLD.id BETWEEN e.first_id AND e.last_id
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- PII features (issue 15, section 3): the per-org key categorical PII values are HMACed
-- with at ingest. Made on first need, never returned by the API nor logged.
CREATE TABLE "org_pii_keys" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_pii_keys" ADD CONSTRAINT "org_pii_keys_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "deliveries_retention" ON "deliveries" USING btree ("org_id","created_at") WHERE "status" IN ('delivered', 'dead');
--> statement-breakpoint
CREATE INDEX "business_outcomes_retention" ON "business_outcomes" USING btree ("org_id","model","at");
--> statement-breakpoint
CREATE INDEX "monitor_aggregates_retention" ON "monitor_aggregates" USING btree ("org_id","model","at");
--> statement-breakpoint
CREATE INDEX "feature_scores_retention" ON "feature_scores" USING btree ("org_id","model","at");
--> statement-breakpoint
-- monitor_series is created by 0014_business_impact, which also creates its retention index.
