ALTER TABLE "session" ADD COLUMN "impersonated_by" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "banned" boolean DEFAULT false;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "ban_reason" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "ban_expires" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_impersonated_by_user_id_fk" FOREIGN KEY ("impersonated_by") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_user_actor_idx" ON "audit_events" USING btree ("actor_id","id" DESC NULLS LAST) WHERE "audit_events"."actor_type" = 'user';--> statement-breakpoint
CREATE INDEX "audit_events_user_target_idx" ON "audit_events" USING btree ("target_id","id" DESC NULLS LAST) WHERE "audit_events"."target_type" = 'user';--> statement-breakpoint
CREATE INDEX "session_impersonated_by_idx" ON "session" USING btree ("impersonated_by") WHERE "session"."impersonated_by" is not null;