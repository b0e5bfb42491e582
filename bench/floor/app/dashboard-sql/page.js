import { cookies } from "next/headers";
import { sql } from "../../db";

/**
 * A bare dynamic page doing the project's team page reads (/t/<slug>) in the
 * same statements: the session by its cookie's token, its user, the team by
 * its slug with the user's membership, the user's teams (the switcher), then
 * the team's recipes with their photos, the AI usage, the latest week plan and
 * the subscription, rendered as a plain list. No auth library (the cookie's
 * signature is not checked), ORM, layout chrome, proxy or logging.
 */
export default async function DashboardSql({ searchParams }) {
  const { team: slug = "" } = await searchParams;
  const cookie = (await cookies()).get("better-auth.session_token")?.value ?? "";
  const token = decodeURIComponent(cookie).split(".")[0];
  const [session] = await sql`
    select id, expires_at, token, ip_address, user_agent, user_id, created_at, updated_at
    from session where token = ${token}`;
  if (!session || session.expires_at < new Date()) return <p>Signed out.</p>;
  const [user] = await sql`
    select id, name, email, email_verified, image, created_at, updated_at
    from "user" where id = ${session.user_id}`;
  const [[team], teams] = await Promise.all([
    sql`select organization.id, organization.name, organization.slug, member.role from organization
        join member on member.organization_id = organization.id and member.user_id = ${user.id}
        where organization.slug = ${slug}`,
    sql`select organization.id, organization.name, organization.slug from organization
        join member on member.organization_id = organization.id and member.user_id = ${user.id}
        order by organization.name`,
  ]);
  if (!team) return <p>Not found.</p>;
  const today = new Date(new Date().toISOString().slice(0, 10));
  const [recipes, usage, drafts, subscriptions] = await Promise.all([
    sql`select recipes.*, uploads.id as photo_id from recipes
        left join uploads on uploads.recipe_id = recipes.id and uploads.status = 'attached'
        where recipes.organization_id = ${team.id} order by recipes.created_at desc`,
    sql`select kind, count(*) from ai_generations
        where organization_id = ${team.id} and created_at >= ${today} and status <> 'failed' group by kind`,
    sql`select * from ai_generations where organization_id = ${team.id} and kind = 'week-plan'
        order by created_at desc limit 1`,
    sql`select * from subscriptions where organization_id = ${team.id} and status in ('active', 'trialing', 'past_due')
        order by last_event_at desc limit 1`,
  ]);
  return (
    <main>
      <nav>{teams.map((t) => t.name).join(", ")}</nav>
      <h1>{team.name}</h1>
      <p>
        {user.name}; {subscriptions.length ? "Pro" : "Free"} plan;{" "}
        {usage.reduce((sum, row) => sum + Number(row.count), 0)} AI calls today
        {drafts.length ? ", a week plan waiting" : ""}.
      </p>
      <ul>
        {recipes.map((recipe) => (
          <li key={recipe.id}>
            <h2>{recipe.title}</h2>
            <p>{recipe.description}</p>
            <p>
              {recipe.published ? "Published" : "Draft"}
              {recipe.photo_id ? ", with a photo" : ""}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
