ALTER TABLE "user" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
-- Accounts confirmed before this column existed: their history starts when the account did (nothing sent
-- to the address before then is theirs).
UPDATE "user" SET "email_verified_at" = "created_at" WHERE "email_verified";--> statement-breakpoint
-- The moment the current address was confirmed, on every path that confirms or changes it (Better Auth's
-- links, a password reset, a script): set when it becomes confirmed or a confirmed address changes, cleared
-- while it is not confirmed, kept otherwise.
CREATE FUNCTION "user_email_verified_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."email_verified" AND (TG_OP = 'INSERT' OR NOT OLD."email_verified" OR NEW."email" IS DISTINCT FROM OLD."email") THEN
    NEW."email_verified_at" := now();
  ELSIF NOT NEW."email_verified" THEN
    NEW."email_verified_at" := NULL;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_email_verified_at" BEFORE INSERT OR UPDATE OF "email", "email_verified" ON "user"
  FOR EACH ROW EXECUTE FUNCTION "user_email_verified_at"();
