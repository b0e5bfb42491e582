import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { headers } from "next/headers";
import { cache } from "react";
import { db, schema } from "@/lib/db";
import { env } from "@/lib/env";

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
  // nextCookies lets Server Actions that call authServer.api.* set the session cookie. Keep it last.
  plugins: [nextCookies()],
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
