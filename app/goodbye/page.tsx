import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Account deleted", robots: { index: false } };

/** Where a deleted account lands: it is signed out, so this page needs no session. */
export default function GoodbyePage() {
  return (
    <section className="space-y-3">
      <h1 className="text-2xl font-semibold">Your account is deleted</h1>
      <p className="text-stone-700">
        Your recipes, photos and sessions are gone, and we sent a last email to confirm it. Thank you for cooking with
        us.
      </p>
      <Button asChild variant="secondary">
        <Link href="/">Back to the recipes</Link>
      </Button>
    </section>
  );
}
