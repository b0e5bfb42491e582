import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { magicLink } from "better-auth/plugins/magic-link";
import { headers } from "next/headers";
import { cache } from "react";
import { db, schema } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * Better Auth, backed by our Drizzle tables. The Route Handler at
 * app/api/auth/[...all] serves its HTTP API; pages and actions call `auth()`.
 */
export const authServer = betterAuth({
  appName: "Recipe Box",
  baseURL: env.appUrl,
  secret: env.authSecret,
  database: drizzleAdapter(db, {
    provider: "pg",
    schema: { user: schema.user, session: schema.session, account: schema.account, verification: schema.verification },
  }),
  emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
  session: {
    // The signed session is cached in a cookie for 5 minutes, so most requests skip the session query.
    cookieCache: { enabled: true, maxAge: 5 * 60 },
  },
  databaseHooks: {
    user: {
      create: {
        // Every new account (password or magic link) gets the welcome email, through the pipeline.
        after: async (user) => {
          try {
            await sendEmail({ to: user.email, template: "welcome", props: { name: user.name, dashboardUrl: `${env.appUrl}/dashboard` } });
          } catch (error) {
            logger.error({ err: error, userId: user.id }, "welcome email not queued");
          }
        },
      },
    },
  },
  plugins: [
    magicLink({
      expiresIn: 5 * 60,
      // Only a hash is stored, so a database leak holds no usable links.
      storeToken: "hashed",
      sendMagicLink: async ({ email, url }) => {
        await sendEmail({ to: email, template: "magic-link", props: { url } });
      },
    }),
    // nextCookies lets Server Actions that call authServer.api.* set the session cookie. Keep it last.
    nextCookies(),
  ],
});

export type Session = typeof authServer.$Infer.Session;
export type SessionUser = Session["user"];

/**
 * The current session, or null. Cached per request, so a page and the
 * actions it renders ask the database once.
 */
export const auth = cache(async (): Promise<Session | null> => {
  return authServer.api.getSession({ headers: await headers() });
});
