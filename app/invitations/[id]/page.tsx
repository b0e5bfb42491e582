import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getSession } from "@/lib/auth";
import { withArticle } from "@/lib/core/text";
import { db } from "@/lib/db";
import { invitationForLink } from "@/lib/teams";
import { InvitationAnswer } from "./answer";

export const metadata: Metadata = { title: "Invitation", robots: { index: false } };

/**
 * The page an invitation email links to. It works signed out: it says who invited whom to which
 * team, and sends the visitor to sign in or sign up (then back here) before they can accept.
 */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [invitation, session] = await Promise.all([invitationForLink(db, id), getSession()]);
  if (!invitation) notFound();
  const here = `/invitations/${encodeURIComponent(id)}`;
  const signedInAs = session?.user.email.toLowerCase();

  return (
    <section className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">Join {invitation.teamName}</h1>
      <p>
        {invitation.inviterName} invited <span className="break-all font-medium">{invitation.email}</span> to cook in{" "}
        <span className="font-medium">{invitation.teamName}</span> as {withArticle(invitation.role)}.
      </p>
      {!invitation.open ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This invitation has expired, was withdrawn, or was already answered. Ask for a new one.
        </p>
      ) : !session ? (
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className="font-medium text-emerald-800 underline">
            Sign in
          </Link>{" "}
          or{" "}
          <Link href={`/sign-up?next=${encodeURIComponent(here)}`} className="font-medium text-emerald-800 underline">
            sign up
          </Link>{" "}
          with {invitation.email} to accept it.
        </p>
      ) : signedInAs !== invitation.email ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          You are signed in as {session.user.email}, but this invitation is for {invitation.email}. Sign out and sign in
          with that address to accept it.
        </p>
      ) : (
        <InvitationAnswer invitationId={invitation.id} confirmed={session.user.emailVerified} />
      )}
    </section>
  );
}
