import { exportAccountData } from "@/lib/account";
import { signedIn } from "@/lib/auth";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db";
import { route } from "@/lib/http";

const SIGN_IN = "Sign in to download your data.";

/**
 * Everything stored about the signed-in user, as a JSON file download
 * (profile, sign-in methods, sessions, recipes, photos, subscription, emails
 * sent to them, AI generations). 401 when signed out.
 */
export const GET = route({ authenticate: signedIn(SIGN_IN) }, async ({ caller: session }) => {
  const data = await exportAccountData(db, session.user.id);
  if (!data) throw new AppError("unauthenticated", SIGN_IN, { reason: "signed-out" });
  const day = data.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="recipe-box-data-${day}.json"`,
      // Personal data: never kept by a browser or a shared cache.
      "cache-control": "private, no-store",
    },
  });
});
