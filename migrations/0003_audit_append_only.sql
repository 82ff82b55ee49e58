-- The audit log is append-only for the application: rows can be inserted, never changed
-- or removed. A trigger (rather than only REVOKE, since local development connects as the
-- database owner) refuses UPDATE, DELETE and TRUNCATE. Someone with superuser rights can
-- still bypass it; the hash chain (GET /v1/audit/verify) is what detects that.
CREATE OR REPLACE FUNCTION vigil_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION vigil_audit_log_append_only();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_log_append_only();--> statement-breakpoint
-- In a deployment with a separate application role, grant it only this:
--   GRANT SELECT, INSERT ON audit_log TO vigil_app; GRANT USAGE ON SEQUENCE audit_log_id_seq TO vigil_app;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM vigil_app;
  END IF;
END $$;
