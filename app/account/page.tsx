import type { Metadata } from "next";
import { eq } from "drizzle-orm";
import { Download } from "lucide-react";
import { Timestamp } from "@/app/_components/timestamp";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { hasPassword, isFreshSignIn, listActiveSessions } from "@/lib/account";
import { getSession, requireUser } from "@/lib/auth";
import { getTeamPlan } from "@/lib/billing";
import { personalTeamOf, teamsOnlyOwnedBy } from "@/lib/teams";
import { db, schema } from "@/lib/db";
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

/** Profile, password, sessions, sign-in methods, the data download and account deletion. */
export default async function AccountPage() {
  const user = await requireUser("/account");
  const { session } = (await getSession())!;
  const [sessions, methods, withPassword, personal, soleOwnerOf] = await Promise.all([
    listActiveSessions(db, user.id, session.id),
    db.select({ provider: schema.account.providerId }).from(schema.account).where(eq(schema.account.userId, user.id)),
    hasPassword(db, user.id),
    personalTeamOf(db, user.id),
    teamsOnlyOwnedBy(db, user.id),
  ]);
  const { plan } = personal ? await getTeamPlan(db, personal.id) : { plan: { id: "free" } };
  const fresh = isFreshSignIn(session.createdAt);
  const others = sessions.filter((entry) => !entry.current);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>

      <Section title="Profile" className="space-y-6">
        <NameForm name={user.name} />
        <EmailForm email={user.email} />
      </Section>

      {withPassword && (
        <Section title="Password">
          <PasswordForm />
        </Section>
      )}

      <Section title="Sessions">
        <ul className="divide-y divide-border rounded-md border border-border" aria-label="Your sessions">
          {sessions.map((entry) => (
            <li key={entry.id} className="flex flex-col gap-3 p-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0 space-y-1">
                <p className="font-medium">
                  {entry.device}
                  {entry.current && (
                    <Badge variant="success" className="ml-2">
                      this device
                    </Badge>
                  )}
                </p>
                <dl className="text-sm break-words text-muted-foreground">
                  <div>
                    <dt className="inline">IP address: </dt>
                    <dd className="inline">{entry.ipAddress ?? "unknown"}</dd>
                  </div>
                  <div>
                    <dt className="inline">Last seen: </dt>
                    <dd className="inline">
                      <Timestamp date={entry.lastSeenAt} />
                    </dd>
                  </div>
                  <div>
                    <dt className="inline">Signed in: </dt>
                    <dd className="inline">
                      <Timestamp date={entry.createdAt} />
                    </dd>
                  </div>
                </dl>
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

      <Section
        title="Your data"
        description="A JSON file of everything we store about you: profile, recipes, subscription, emails sent to you and AI drafts."
      >
        <Button asChild variant="secondary">
          <a href="/api/account/export" download>
            <Download aria-hidden="true" />
            Download my data
          </a>
        </Button>
      </Section>

      <Section
        title="Delete account"
        danger
        description={
          "Deletes your personal team (its recipes, photos and AI drafts), your sessions and your memberships for good, " +
          "and signs you out everywhere. Recipes you wrote in other teams stay with them, unsigned." +
          (plan.id !== "free"
            ? " Your personal team's Pro subscription is canceled at once, with no further charges."
            : "") +
          " We keep only payment records, without your name or email, as the law requires."
        }
      >
        {soleOwnerOf.length > 0 ? (
          <Alert role="alert" variant="warning">
            You are the only owner of {soleOwnerOf.map((team) => team.name).join(", ")}: make someone else its owner or
            delete it first (in the team&apos;s settings).
          </Alert>
        ) : (
          <DeleteAccountForm needsPassword={!fresh} hasPassword={withPassword} />
        )}
      </Section>
    </div>
  );
}

function Section({
  title,
  description,
  danger,
  className,
  children,
}: {
  title: string;
  description?: string;
  danger?: boolean;
  className?: string;
  children: React.ReactNode;
}) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <Card asChild className={cn("space-y-4", danger && "border-red-200", className)}>
      <section aria-labelledby={id}>
        <CardHeader className="mb-0">
          <CardTitle id={id}>{title}</CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        {children}
      </section>
    </Card>
  );
}
