-- Electronic signatures (21 CFR Part 11; workers/signatures/). An org's signature policy,
-- the approvals a signed change waits in (one record, hashed, signed by distinct users
-- until the policy's count is reached) and the signatures themselves, which can never be
-- changed or removed: a trigger refuses UPDATE, DELETE and TRUNCATE, as for audit_log.
CREATE TABLE "signature_policies" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "signature_policies" ADD CONSTRAINT "signature_policies_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid NOT NULL,
	"model" text NOT NULL,
	"version" text NOT NULL,
	"record" jsonb NOT NULL,
	"record_sha256" text NOT NULL,
	"required" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "approvals_status" CHECK ("status" in ('pending', 'applied', 'superseded')),
	CONSTRAINT "approvals_action" CHECK ("action" in ('production_promotion', 'baseline_change', 'threshold_change')),
	CONSTRAINT "approvals_required" CHECK ("required" between 1 and 10),
	CONSTRAINT "approvals_sha256" CHECK ("record_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_id_record" ON "approvals" USING btree ("id","record_sha256");
--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_pending" ON "approvals" USING btree ("org_id","action","target_id") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "approvals_org_time" ON "approvals" USING btree ("org_id","created_at","id");
--> statement-breakpoint
CREATE TABLE "signatures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"approval_id" uuid NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"signer_email" text NOT NULL,
	"meaning" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"record_sha256" text NOT NULL,
	"audit_id" bigint NOT NULL,
	"audit_hash" text NOT NULL,
	CONSTRAINT "signatures_meaning" CHECK ("meaning" in ('approved', 'reviewed', 'responsible')),
	CONSTRAINT "signatures_signer_name" CHECK (length(trim("signer_name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
-- A signature belongs to the one record its approval holds: the pair (approval, hash) must exist.
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_approval_record_fk" FOREIGN KEY ("approval_id","record_sha256") REFERENCES "public"."approvals"("id","record_sha256") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
-- Distinct signers: one signature per user per approval.
CREATE UNIQUE INDEX "signatures_one_per_signer" ON "signatures" USING btree ("approval_id","user_id");
--> statement-breakpoint
CREATE INDEX "signatures_target" ON "signatures" USING btree ("org_id","target_type","target_id","signed_at");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION vigil_signatures_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'signatures are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER signatures_no_update_delete BEFORE UPDATE OR DELETE ON "signatures" FOR EACH ROW EXECUTE FUNCTION vigil_signatures_immutable();--> statement-breakpoint
CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON "signatures" FOR EACH STATEMENT EXECUTE FUNCTION vigil_signatures_immutable();--> statement-breakpoint
-- An approval's record and hash are what its signers signed: they never change once written.
CREATE OR REPLACE FUNCTION vigil_approvals_record_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.record IS DISTINCT FROM OLD.record OR NEW.record_sha256 IS DISTINCT FROM OLD.record_sha256 OR NEW.action IS DISTINCT FROM OLD.action OR NEW.target_id IS DISTINCT FROM OLD.target_id THEN
    RAISE EXCEPTION 'an approval''s signed record cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER approvals_record_fixed BEFORE UPDATE ON "approvals" FOR EACH ROW EXECUTE FUNCTION vigil_approvals_record_fixed();
