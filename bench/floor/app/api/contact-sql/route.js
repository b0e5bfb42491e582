import { after } from "next/server";
import { sql } from "../../../db";

/**
 * A bare route doing the project's contact work in the same statements: store
 * the message and queue its notification (two INSERTs), answer, and after the
 * response claim the email and store it as sent to the outbox. No validation
 * library, rate limit, React Email render, ORM, logging or job queue.
 */
export async function POST(request) {
  const { name, email, subject, message } = await request.json();
  const to = "owner@example.com";
  const [stored] = await sql`
    insert into contact_messages (name, email, subject, message, ip, request_id)
    values (${name}, ${email}, ${subject}, ${message}, null, ${crypto.randomUUID()})
    returning id`;
  const [queued] = await sql`
    insert into emails (${sql("to")}, template, subject, props, status)
    values (${to}, 'contact-notification', ${`Contact form: ${subject}`}, ${sql.json({ name, email, subject, message })},
      case when exists (select 1 from email_suppressions where email = ${to}) then 'suppressed' else 'queued' end)
    returning id, status`;
  if (queued.status === "queued") after(() => deliver(queued.id));
  return Response.json({ ok: true, id: stored.id });
}

async function deliver(id) {
  const [email] = await sql`
    update emails set attempts = attempts + 1, locked_at = now(), updated_at = now()
    where id = ${id} and status in ('queued', 'failed') and attempts < 5 and locked_at is null
    returning *,
      exists (select 1 from email_suppressions where email_suppressions.email = emails.${sql("to")}) as suppressed,
      (select id from "user" where "user".email = emails.${sql("to")}) as recipient_id`;
  if (!email || email.suppressed) return;
  const text = `${email.props.name} <${email.props.email}> wrote:\n\n${email.props.message}`;
  const html = `<p>${text.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</p>`;
  await sql`
    update emails set status = 'sent', provider_id = ${`outbox_${id}`}, transport = 'outbox', html = ${html},
      text = ${text}, last_error = null, next_attempt_at = null, locked_at = null, sent_at = now(), updated_at = now()
    where id = ${id}`;
}
