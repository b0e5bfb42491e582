import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { cookieJar } from "./next/headers";

/**
 * Signs up a fresh user through Better Auth (real tables, real session): signs
 * up, then follows the confirmation link from the email it sent, which signs
 * them in. Leaves the fake browser signed in as them; `actAs()` switches back
 * later. Needs next/headers mocked with tests/support/next/headers.
 */
export async function signUpTestUser(name = "Test Cook") {
  cookieJar.clear();
  const email = `cook-${randomUUID()}@example.test`;
  const { user } = await auth.api.signUpEmail({ body: { name, email, password: "correct-horse-battery" } });
  await auth.api.verifyEmail({ query: { token: await confirmationToken(email) } });
  const cookies = cookieJar.snapshot();
  const team = await personalTeam(user.id);
  return { id: user.id, email, teamId: team.id, teamSlug: team.slug, actAs: () => cookieJar.restore(cookies) };
}

/**
 * A cook who signed up and signed in with the password but has not opened the
 * confirmation link (it is in the outbox): they may draft, not publish or pay.
 */
export async function signUpUnconfirmedTestUser(name = "Unconfirmed Cook") {
  cookieJar.clear();
  const email = `cook-${randomUUID()}@example.test`;
  const password = "correct-horse-battery";
  const { user } = await auth.api.signUpEmail({ body: { name, email, password } });
  await auth.api.signInEmail({ body: { email, password } });
  const cookies = cookieJar.snapshot();
  const team = await personalTeam(user.id);
  return { id: user.id, email, teamId: team.id, teamSlug: team.slug, actAs: () => cookieJar.restore(cookies) };
}

/** The personal team every account gets at sign-up. */
export async function personalTeam(userId: string): Promise<{ id: string; slug: string }> {
  const [team] = await db
    .select({ id: schema.organization.id, slug: schema.organization.slug })
    .from(schema.organization)
    .innerJoin(schema.member, eq(schema.member.organizationId, schema.organization.id))
    .where(and(eq(schema.member.userId, userId), eq(schema.organization.personal, true)));
  if (!team) throw new Error(`user ${userId} has no personal team`);
  return team;
}

/** The token in the newest confirmation email sent to `email` (stored with the email, like every email). */
export async function confirmationToken(email: string) {
  const [sent] = await db
    .select({ props: schema.emails.props })
    .from(schema.emails)
    .where(and(eq(schema.emails.to, email.toLowerCase()), eq(schema.emails.template, "verify-email")))
    .orderBy(desc(schema.emails.createdAt))
    .limit(1);
  const url = (sent?.props as { url?: string } | undefined)?.url;
  if (!url) throw new Error("no confirmation email was sent");
  return new URL(url).searchParams.get("token")!;
}

/**
 * Signs the user in again as another device would (the password every test user has), without touching the
 * fake browser's cookies: returns that device's session cookie as request headers.
 */
export async function signInOnAnotherDevice(email: string, userAgent?: string) {
  const { headers: answer } = await auth.api.signInEmail({
    body: { email, password: "correct-horse-battery" },
    headers: userAgent ? new Headers({ "user-agent": userAgent }) : undefined,
    returnHeaders: true,
  });
  const cookie = answer
    .getSetCookie()
    .find((c) => c.startsWith("better-auth.session_token="))!
    .split(";")[0]!;
  return new Headers({ cookie });
}

export function signOutTestUser() {
  cookieJar.clear();
}

/** Puts the team on Pro the way a processed Stripe webhook does: an active subscription row. */
export async function makePro(teamId: string) {
  await db.insert(schema.subscriptions).values({
    id: `sub_${teamId}`,
    organizationId: teamId,
    customerId: `cus_${teamId}`,
    status: "active",
    lastEventAt: new Date(),
  });
}

/** The session a browser with these headers (its cookie) holds, as Better Auth looks it up; null when it has none. */
export function sessionOf(headers: Headers) {
  return auth.api.getSession({ headers });
}
