import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { emailOwnerId } from "@/lib/email/owner";

const { user, account, session, member, organization, recipes, uploads, subscriptions, emails, aiGenerations } = schema;

/**
 * Everything stored about one user, for `GET /api/account/export`: their
 * profile, sign-in methods and sessions, their memberships and the teams they
 * own (with those teams' subscriptions), the recipes they wrote and the photos
 * they uploaded in any team, emails to their address and their AI calls. Each
 * query is scoped to the user's id (or, for emails, their address once confirmed), and lists
 * its columns: never a password hash, a session or OAuth token, or an email's
 * body and props (they hold sign-in links).
 */
export async function exportAccountData(db: Executor, userId: string) {
  const [profile] = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      image: user.image,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    })
    .from(user)
    .where(eq(user.id, userId));
  if (!profile) return null;

  const memberships = await db
    .select({
      teamId: organization.id,
      team: organization.name,
      slug: organization.slug,
      personal: organization.personal,
      role: member.role,
      joinedAt: member.createdAt,
      stripeCustomerId: organization.stripeCustomerId,
    })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt));
  const owned = memberships.filter((membership) => membership.role === "owner");

  const [signInMethods, sessions, recipeRows, photos, subscriptionRows, emailRows, generations] = await Promise.all([
    db
      .select({ provider: account.providerId, createdAt: account.createdAt, updatedAt: account.updatedAt })
      .from(account)
      .where(eq(account.userId, userId))
      .orderBy(asc(account.createdAt)),
    db
      .select({
        createdAt: session.createdAt,
        updatedAt: session.updatedAt,
        expiresAt: session.expiresAt,
        ipAddress: session.ipAddress,
        userAgent: session.userAgent,
      })
      .from(session)
      .where(eq(session.userId, userId))
      .orderBy(asc(session.createdAt)),
    db.select().from(recipes).where(eq(recipes.createdBy, userId)).orderBy(asc(recipes.createdAt)),
    db
      .select({
        id: uploads.id,
        recipeId: uploads.recipeId,
        contentType: uploads.contentType,
        size: uploads.size,
        status: uploads.status,
        createdAt: uploads.createdAt,
      })
      .from(uploads)
      .where(eq(uploads.userId, userId))
      .orderBy(asc(uploads.createdAt)),
    owned.length
      ? db
          .select()
          .from(subscriptions)
          .where(
            inArray(
              subscriptions.organizationId,
              owned.map((team) => team.teamId),
            ),
          )
          .orderBy(asc(subscriptions.createdAt))
      : [],
    db
      .select({
        id: emails.id,
        to: emails.to,
        template: emails.template,
        subject: emails.subject,
        status: emails.status,
        createdAt: emails.createdAt,
        sentAt: emails.sentAt,
      })
      .from(emails)
      // Only the emails that are the account's: sent once it had confirmed the address (lib/email/owner.ts).
      .where(and(eq(emails.to, profile.email.toLowerCase()), sql`${emailOwnerId} = ${userId}`))
      .orderBy(asc(emails.createdAt)),
    db
      .select({
        id: aiGenerations.id,
        kind: aiGenerations.kind,
        model: aiGenerations.model,
        status: aiGenerations.status,
        inputTokens: aiGenerations.inputTokens,
        outputTokens: aiGenerations.outputTokens,
        error: aiGenerations.error,
        result: aiGenerations.result,
        createdAt: aiGenerations.createdAt,
        finishedAt: aiGenerations.finishedAt,
      })
      .from(aiGenerations)
      .where(eq(aiGenerations.userId, userId))
      .orderBy(asc(aiGenerations.createdAt)),
  ]);

  return {
    exportedAt: new Date().toISOString(),
    profile,
    signInMethods,
    sessions,
    // The customer id is the team's billing detail: only its owners' exports carry it (teamsOwned).
    memberships: memberships.map(({ teamId, team, slug, personal, role, joinedAt }) => ({
      teamId,
      team,
      slug,
      personal,
      role,
      joinedAt,
    })),
    teamsOwned: owned.map(({ teamId, team, slug, personal, stripeCustomerId }) => ({
      id: teamId,
      name: team,
      slug,
      personal,
      stripeCustomerId,
    })),
    recipes: recipeRows,
    photos,
    subscriptions: subscriptionRows,
    emails: emailRows,
    aiGenerations: generations,
  };
}

export type AccountExport = NonNullable<Awaited<ReturnType<typeof exportAccountData>>>;
