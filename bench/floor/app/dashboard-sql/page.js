import { cookies } from "next/headers";
import { sql } from "../../db";

/**
 * A bare dynamic page doing the project's dashboard reads in the same
 * statements: the session by its cookie's token, its user, then the cook's
 * recipes with their photos, the AI usage, the latest week plan and the
 * subscription, rendered as a plain list. No auth library (the cookie's
 * signature is not checked), ORM, layout chrome, proxy or logging.
 */
export default async function DashboardSql() {
  const cookie = (await cookies()).get("better-auth.session_token")?.value ?? "";
  const token = decodeURIComponent(cookie).split(".")[0];
  const [session] = await sql`
    select id, expires_at, token, ip_address, user_agent, user_id, created_at, updated_at
    from session where token = ${token}`;
  if (!session || session.expires_at < new Date()) return <p>Signed out.</p>;
  const [user] = await sql`
    select id, name, email, email_verified, image, stripe_customer_id, created_at, updated_at
    from "user" where id = ${session.user_id}`;
  const today = new Date(new Date().toISOString().slice(0, 10));
  const [recipes, usage, drafts, subscriptions] = await Promise.all([
    sql`select recipes.*, uploads.id as photo_id from recipes
        left join uploads on uploads.recipe_id = recipes.id and uploads.status = 'attached'
        where recipes.user_id = ${user.id} order by recipes.created_at desc`,
    sql`select kind, count(*) from ai_generations
        where user_id = ${user.id} and created_at >= ${today} and status <> 'failed' group by kind`,
    sql`select * from ai_generations where user_id = ${user.id} and kind = 'week-plan' order by created_at desc limit 1`,
    sql`select * from subscriptions where user_id = ${user.id} and status in ('active', 'trialing', 'past_due')
        order by last_event_at desc limit 1`,
  ]);
  return (
    <main>
      <h1>{user.name}&apos;s recipes</h1>
      <p>
        {subscriptions.length ? "Pro" : "Free"} plan; {usage.reduce((sum, row) => sum + Number(row.count), 0)} AI calls
        today{drafts.length ? ", a week plan waiting" : ""}.
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
