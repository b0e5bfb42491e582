import "server-only";
import { asc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

const { user, account, session, recipes, uploads, subscriptions, emails, aiGenerations } = schema;

/**
 * Everything stored about one user, for `GET /api/account/export`. Each query
 * is scoped to the user's id (or their address, for emails), and lists its
 * columns: never a password hash, a session or OAuth token, or an email's
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
      stripeCustomerId: user.stripeCustomerId,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    })
    .from(user)
    .where(eq(user.id, userId));
  if (!profile) return null;

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
    db.select().from(recipes).where(eq(recipes.userId, userId)).orderBy(asc(recipes.createdAt)),
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
    db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).orderBy(asc(subscriptions.createdAt)),
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
      .where(eq(emails.to, profile.email.toLowerCase()))
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
    recipes: recipeRows,
    photos,
    subscriptions: subscriptionRows,
    emails: emailRows,
    aiGenerations: generations,
  };
}

export type AccountExport = NonNullable<Awaited<ReturnType<typeof exportAccountData>>>;
