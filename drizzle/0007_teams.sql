CREATE TABLE "invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"email" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"inviter_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"logo" text,
	"metadata" text,
	"personal" boolean DEFAULT false NOT NULL,
	"stripe_customer_id" text,
	"seats_version" integer DEFAULT 0 NOT NULL,
	"seats_synced_version" integer DEFAULT 0 NOT NULL,
	"billing_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_slug_unique" UNIQUE("slug"),
	CONSTRAINT "organization_stripe_customer_id_unique" UNIQUE("stripe_customer_id")
);
--> statement-breakpoint
ALTER TABLE "ai_generations" ADD COLUMN "organization_id" text;
--> statement-breakpoint
ALTER TABLE "recipes" ADD COLUMN "organization_id" text;
--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "organization_id" text;
--> statement-breakpoint
ALTER TABLE "realtime_events" ADD COLUMN "organization_id" text;
--> statement-breakpoint
ALTER TABLE "recipes" ADD COLUMN "created_by" text;
--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "active_organization_id" text;
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "organization_id" text;
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "quantity" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- Data: every existing user gets a personal team that owns what they owned (recipes, subscription, Stripe
-- customer, AI usage, photos). The user's id rides in metadata for the next statements, then is cleared.
INSERT INTO "organization" ("id", "name", "slug", "metadata", "personal", "stripe_customer_id", "created_at")
SELECT
	gen_random_uuid()::text,
	u."name" || '''s recipes',
	coalesce(nullif(trim(both '-' from lower(regexp_replace(left(u."name", 40), '[^a-zA-Z0-9]+', '-', 'g'))), ''), 'team')
		|| '-' || substr(md5(u."id"), 1, 8),
	u."id",
	true,
	u."stripe_customer_id",
	u."created_at"
FROM "user" u;--> statement-breakpoint
INSERT INTO "member" ("id", "organization_id", "user_id", "role", "created_at")
SELECT gen_random_uuid()::text, o."id", o."metadata", 'owner', o."created_at"
FROM "organization" o WHERE o."personal" AND o."metadata" IS NOT NULL;--> statement-breakpoint
UPDATE "recipes" r SET "organization_id" = o."id", "created_by" = r."user_id"
FROM "organization" o WHERE o."personal" AND o."metadata" = r."user_id";--> statement-breakpoint
UPDATE "subscriptions" s SET "organization_id" = o."id"
FROM "organization" o WHERE o."personal" AND o."metadata" = s."user_id";--> statement-breakpoint
UPDATE "ai_generations" g SET "organization_id" = o."id"
FROM "organization" o WHERE o."personal" AND o."metadata" = g."user_id";--> statement-breakpoint
UPDATE "uploads" up SET "organization_id" = o."id"
FROM "organization" o WHERE o."personal" AND o."metadata" = up."user_id";--> statement-breakpoint
UPDATE "organization" SET "metadata" = NULL WHERE "personal";--> statement-breakpoint
ALTER TABLE "ai_generations" ALTER COLUMN "organization_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "recipes" ALTER COLUMN "organization_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "uploads" ALTER COLUMN "organization_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "user" DROP CONSTRAINT "user_stripe_customer_id_unique";
--> statement-breakpoint
ALTER TABLE "recipes" DROP CONSTRAINT "recipes_user_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_user_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_user_id_user_id_fk";
--> statement-breakpoint
DROP INDEX "ai_generations_user_kind_created_idx";
--> statement-breakpoint
DROP INDEX "recipes_user_id_idx";
--> statement-breakpoint
DROP INDEX "subscriptions_user_id_idx";
--> statement-breakpoint
DROP INDEX "uploads_user_id_idx";
--> statement-breakpoint
ALTER TABLE "uploads" ALTER COLUMN "user_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_inviter_id_user_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "invitation_organization_id_idx" ON "invitation" USING btree ("organization_id","status");
--> statement-breakpoint
CREATE INDEX "invitation_email_idx" ON "invitation" USING btree ("email");
--> statement-breakpoint
CREATE UNIQUE INDEX "member_organization_id_user_id_key" ON "member" USING btree ("organization_id","user_id");
--> statement-breakpoint
CREATE INDEX "member_user_id_idx" ON "member" USING btree ("user_id");
--> statement-breakpoint
ALTER TABLE "ai_generations" ADD CONSTRAINT "ai_generations_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "realtime_events" ADD CONSTRAINT "realtime_events_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "recipes" ADD CONSTRAINT "recipes_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "recipes" ADD CONSTRAINT "recipes_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_active_organization_id_organization_id_fk" FOREIGN KEY ("active_organization_id") REFERENCES "public"."organization"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ai_generations_organization_kind_created_idx" ON "ai_generations" USING btree ("organization_id","kind","created_at");
--> statement-breakpoint
CREATE INDEX "ai_generations_user_id_idx" ON "ai_generations" USING btree ("user_id");
--> statement-breakpoint
CREATE INDEX "realtime_events_organization_id_id_idx" ON "realtime_events" USING btree ("organization_id","id");
--> statement-breakpoint
CREATE INDEX "recipes_organization_id_idx" ON "recipes" USING btree ("organization_id","created_at");
--> statement-breakpoint
CREATE INDEX "subscriptions_organization_id_idx" ON "subscriptions" USING btree ("organization_id");
--> statement-breakpoint
CREATE INDEX "uploads_organization_id_idx" ON "uploads" USING btree ("organization_id","status");
--> statement-breakpoint
CREATE INDEX "uploads_user_id_idx" ON "uploads" USING btree ("user_id");
--> statement-breakpoint
ALTER TABLE "recipes" DROP COLUMN "user_id";
--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "user_id";
--> statement-breakpoint
ALTER TABLE "user" DROP COLUMN "stripe_customer_id";
