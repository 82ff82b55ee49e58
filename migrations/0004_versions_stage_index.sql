DROP INDEX "model_versions_one_production";--> statement-breakpoint
CREATE INDEX "model_versions_model_stage" ON "model_versions" USING btree ("model_id","stage");