CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"ip" text,
	"user_agent" text,
	"request_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"personal_digest" text NOT NULL,
	"personal_salt" text,
	"prev_hash" text,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_chain_link_key" UNIQUE NULLS NOT DISTINCT("organization_id","prev_hash")
);
--> statement-breakpoint
CREATE INDEX "audit_events_organization_id_id_idx" ON "audit_events" USING btree ("organization_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING btree ("occurred_at");
--> statement-breakpoint
-- >>> hand-written: audit_events is append-only (lib/audit, docs/audit.md). Re-append after the generated
-- statements if this migration is renumbered.
-- UPDATE and DELETE are refused, except:
--   * retention: a DELETE in a transaction that ran `select set_config('audit.retention_days', '<days>', true)`
--     may remove only rows whose occurred_at is older than now() minus those days (the setting is local to
--     that transaction, so nothing else that runs on the connection later inherits it);
--   * pseudonymisation: an UPDATE in a transaction that set `audit.pseudonymise` to a deleted user's id may
--     change only actor_label (on that user's own rows), metadata and personal_salt (which must become null);
--     every field the hash chain covers stays as it was.
-- TRUNCATE is refused outright. A superuser can still disable the trigger: the hash chain is what shows it.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  retention_days integer;
  pseudonymised text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'audit_events is append-only: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    retention_days := nullif(current_setting('audit.retention_days', true), '')::integer;
    IF retention_days IS NOT NULL AND retention_days >= 1
       AND OLD.occurred_at < now() - make_interval(days => retention_days) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: row % may not be deleted', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  pseudonymised := nullif(current_setting('audit.pseudonymise', true), '');
  IF pseudonymised IS NOT NULL
     AND NEW.personal_salt IS NULL
     AND (NEW.actor_label = OLD.actor_label OR OLD.actor_id = pseudonymised)
     AND (NEW.id, NEW.organization_id, NEW.actor_type, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id,
          NEW.ip, NEW.user_agent, NEW.request_id, NEW.occurred_at, NEW.personal_digest, NEW.prev_hash, NEW.hash)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.organization_id, OLD.actor_type, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id,
          OLD.ip, OLD.user_agent, OLD.request_id, OLD.occurred_at, OLD.personal_digest, OLD.prev_hash, OLD.hash) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: row % may not be changed', OLD.id USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
-- <<< hand-written
