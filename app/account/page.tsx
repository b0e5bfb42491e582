import type { Metadata } from "next";
import { hasPassword, isFreshSignIn } from "@/lib/account/confirm";
import { listActiveSessions } from "@/lib/account/sessions";
import { getSession, requireUser } from "@/lib/auth";
import { getUserPlan } from "@/lib/billing/plans";
import { db, schema } from "@/lib/db";
import { eq } from "drizzle-orm";
import {
  DeleteAccountForm,
  EmailForm,
  NameForm,
  PasswordForm,
  RevokeOtherSessionsForm,
  RevokeSessionButton,
} from "./forms";

export const metadata: Metadata = { title: "Account" };

/** How each Better Auth provider id reads on the page. */
const methodNames: Record<string, string> = {
  credential: "Email and password",
  github: "GitHub",
  google: "Google",
};

const when = (date: Date) => `${date.toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;

/** Profile, password, sessions, sign-in methods, the data download and account deletion. */
export default async function AccountPage() {
  const user = await requireUser("/account");
  const { session } = (await getSession())!;
  const [sessions, methods, withPassword, { plan }] = await Promise.all([
    listActiveSessions(db, user.id, session.id),
    db.select({ provider: schema.account.providerId }).from(schema.account).where(eq(schema.account.userId, user.id)),
    hasPassword(db, user.id),
    getUserPlan(db, user.id),
  ]);
  const fresh = isFreshSignIn(session.createdAt);
  const others = sessions.filter((entry) => !entry.current);

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Your account</h1>

      <Section title="Profile">
        <NameForm name={user.name} />
        <EmailForm email={user.email} />
      </Section>

      {withPassword && (
        <Section title="Password">
          <PasswordForm />
        </Section>
      )}

      <Section title="Sessions">
        <ul className="divide-y divide-stone-200 rounded-md border border-stone-200" aria-label="Your sessions">
          {sessions.map((entry) => (
            <li key={entry.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
              <div>
                <p className="font-medium">
                  {entry.device}
                  {entry.current && <span className="ml-2 text-sm font-normal text-emerald-800">(this device)</span>}
                </p>
                <p className="text-sm text-stone-600">
                  {entry.ipAddress ? `${entry.ipAddress} · ` : ""}last seen {when(entry.lastSeenAt)} · signed in{" "}
                  {when(entry.createdAt)}
                </p>
              </div>
              {!entry.current && <RevokeSessionButton sessionId={entry.id} device={entry.device} />}
            </li>
          ))}
        </ul>
        {others.length > 0 && <RevokeOtherSessionsForm />}
      </Section>

      <Section title="Sign-in methods">
        <ul className="list-inside list-disc text-sm" aria-label="Sign-in methods">
          {methods.map((method) => (
            <li key={method.provider}>{methodNames[method.provider] ?? method.provider}</li>
          ))}
          <li>A sign-in link by email (always available)</li>
        </ul>
      </Section>

      <Section title="Your data">
        <p className="text-sm text-stone-600">
          A JSON file of everything we store about you: profile, recipes, subscription, emails sent to you and AI
          drafts.
        </p>
        <a
          href="/api/account/export"
          download
          className="inline-block rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-stone-50"
        >
          Download my data
        </a>
      </Section>

      <Section title="Delete account" danger>
        <p className="text-sm text-stone-700">
          Deletes your recipes, photos, sessions and AI drafts for good, and signs you out everywhere.
          {plan.id !== "free" && " Your Pro subscription is canceled at once, with no further charges."} We keep only
          payment records, without your name or email, as the law requires.
        </p>
        <DeleteAccountForm needsPassword={!fresh} hasPassword={withPassword} />
      </Section>
    </div>
  );
}

function Section({ title, danger, children }: { title: string; danger?: boolean; children: React.ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className={`space-y-4 rounded-lg border bg-white p-5 ${danger ? "border-red-200" : "border-stone-200"}`}
    >
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}
