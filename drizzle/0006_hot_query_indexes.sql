DROP INDEX "emails_status_idx";--> statement-breakpoint
DROP INDEX "webhook_events_status_idx";--> statement-breakpoint
CREATE INDEX "emails_due_idx" ON "emails" USING btree ("created_at") WHERE "emails"."status" in ('queued', 'failed');--> statement-breakpoint
CREATE INDEX "emails_body_created_at_idx" ON "emails" USING btree ("created_at") WHERE "emails"."html" is not null or "emails"."text" is not null or "emails"."props" <> '{}'::jsonb;--> statement-breakpoint
CREATE INDEX "webhook_events_due_idx" ON "webhook_events" USING btree ("received_at") WHERE "webhook_events"."status" in ('pending', 'failed', 'processing');--> statement-breakpoint
CREATE INDEX "webhook_events_processed_at_idx" ON "webhook_events" USING btree ("processed_at") WHERE "webhook_events"."status" = 'processed';