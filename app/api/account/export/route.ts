import { exportAccountData } from "@/lib/account/export";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";

/**
 * Everything stored about the signed-in user, as a JSON file download
 * (profile, sign-in methods, sessions, recipes, photos, subscription, emails
 * sent to them, AI generations). 401 when signed out.
 */
export async function GET(req: Request) {
  const session = await auth.api.getSession({ headers: req.headers });
  if (!session) return Response.json({ error: "Sign in to download your data." }, { status: 401 });
  const data = await exportAccountData(db, session.user.id);
  if (!data) return Response.json({ error: "Sign in to download your data." }, { status: 401 });
  const day = data.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="recipe-box-data-${day}.json"`,
      // Personal data: never kept by a browser or a shared cache.
      "cache-control": "private, no-store",
    },
  });
}
