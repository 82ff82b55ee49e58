-- Report schedules run by the Worker's per-minute cron (issue 16; workers/reports/schedules/).
-- The table came with 0013; a run needs to know when it is due: "next_run_at" is computed
-- from the cron expression (UTC) and claimed with a conditional UPDATE, so two isolates never
-- both run one occurrence. A run's window may reach a year back (a model-risk or audit-trail
-- review): the range bound follows the longest report kind (366 days).
ALTER TABLE "report_schedules" ADD COLUMN "next_run_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "report_schedules" DROP CONSTRAINT "report_schedules_range";--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_range" CHECK ("range_hours" between 1 and 8784);--> statement-breakpoint
CREATE INDEX "report_schedules_due" ON "report_schedules" USING btree ("next_run_at") WHERE "enabled";
