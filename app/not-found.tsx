import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

/** Every unknown path, and every `notFound()` call (a recipe that is not yours, a dev tool in production). */
export default function NotFound() {
  return (
    <section className="mx-auto max-w-md space-y-4 py-12 text-center">
      <p className="text-sm font-medium text-emerald-800">404</p>
      <h1 className="text-2xl font-semibold">We could not find that page</h1>
      <p className="text-muted-foreground">The link may be old, or the page may have moved.</p>
      <div className="flex flex-wrap justify-center gap-2">
        <Button asChild variant="secondary">
          <Link href="/">Published recipes</Link>
        </Button>
        <Button asChild variant="secondary">
          <Link href="/dashboard">Your dashboard</Link>
        </Button>
      </div>
    </section>
  );
}
