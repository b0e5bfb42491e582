import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/** Every unknown path, and every `notFound()` call (a recipe that is not yours, a dev tool in production). */
export default function NotFound() {
  return (
    <section className="mx-auto max-w-md space-y-4 py-12 text-center">
      <p className="text-sm font-medium text-emerald-800">404</p>
      <h1 className="text-2xl font-semibold">We could not find that page</h1>
      <p className="text-stone-600">The link may be old, or the page may have moved.</p>
      <p className="flex justify-center gap-4 text-sm">
        <Link href="/" className="text-emerald-800 underline">
          Published recipes
        </Link>
        <Link href="/dashboard" className="text-emerald-800 underline">
          Your dashboard
        </Link>
      </p>
    </section>
  );
}
