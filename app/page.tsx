import Link from "next/link";
import { getSessionCookie } from "better-auth/cookies";
import { headers } from "next/headers";
import { connection } from "next/server";
import { getPublishedRecipes } from "@/lib/recipes";
import { RecipePhoto } from "@/app/_components/recipe-photo";

/**
 * The landing page renders at request time (`connection()`), so it is right
 * from the first request after a deploy and `next build` needs no database.
 * The list itself comes from Next's data cache under the "recipes" tag, which
 * every recipe action expires (lib/recipes, `getPublishedRecipes`), so most
 * requests run no query.
 */
export default async function HomePage() {
  await connection();
  // Only which invitation to show, so the cookie's presence is enough (as in proxy.ts): no session lookup here.
  const signedIn = Boolean(getSessionCookie(await headers()));
  const recipes = await getPublishedRecipes();

  return (
    <section className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold">Recipes from our cooks</h1>
        <p className="text-stone-600">
          Published recipes appear here.{" "}
          {signedIn ? (
            <>
              Yours are on your{" "}
              <Link href="/dashboard" className="text-emerald-800 underline">
                dashboard
              </Link>
              .
            </>
          ) : (
            <>
              <Link href="/sign-up" className="text-emerald-800 underline">
                Sign up
              </Link>{" "}
              to keep your own box, or{" "}
              <Link href="/sign-in" className="text-emerald-800 underline">
                sign in
              </Link>
              .
            </>
          )}
        </p>
      </div>
      {recipes.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
          Nothing published yet.
        </p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" aria-label="Published recipes">
          {recipes.map((recipe) => (
            <li key={recipe.id} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
              {recipe.photoId && (
                <RecipePhoto
                  uploadId={recipe.photoId}
                  title={recipe.title}
                  className="mb-3 h-40 w-full rounded-md object-cover"
                />
              )}
              <h2 className="text-lg font-medium">{recipe.title}</h2>
              <p className="text-xs text-stone-500">by {recipe.author}</p>
              {recipe.description && <p className="mt-2 text-sm text-stone-700">{recipe.description}</p>}
              {recipe.ingredients.length > 0 && (
                <ul className="mt-3 list-disc pl-5 text-sm text-stone-700">
                  {recipe.ingredients.map((ingredient, index) => (
                    <li key={index}>{ingredient}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
