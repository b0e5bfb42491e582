import "server-only";
import { betterAuth } from "better-auth";
import { and, eq } from "drizzle-orm";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { magicLink } from "better-auth/plugins/magic-link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { databaseStatus, db, schema } from "@/lib/db";
import { LAST_SEEN_PRECISION_MS, markSessionSeen } from "@/lib/account/sessions";
import { sendEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { withBodyLimit } from "@/lib/http";
import { runAfterResponse } from "@/lib/jobs/after";
import { logger, scrub } from "@/lib/logger";
import { trackProductEvent } from "@/lib/observability/analytics";
import { noteRequestUser } from "@/lib/observability/request-context";
import { clientIp, emailKey, limitAll, limiters, type RateLimiter } from "@/lib/ratelimit";
import { safeReturnPath } from "@/lib/return-path";
import { waitUntil } from "@/lib/timing";
import { oauthProviders, type OAuthProvider } from "@/lib/auth-schema";

/** Where the link of a `finish-sign-up` email lands: /reset-password, worded for finishing a sign-up. */
const FINISH_SIGN_UP_PATH = "/reset-password?purpose=finish-sign-up";

/**
 * Better Auth, backed by our Drizzle tables. The Route Handler at
 * app/api/auth/[...all] serves its HTTP API; pages and actions call `getSession()`.
 */
export const auth = betterAuth({
  appName: "Recipe Box",
  baseURL: env.appUrl,
  secret: env.authSecret,
  database: drizzleAdapter(db, {
    provider: "pg",
    schema: { user: schema.user, session: schema.session, account: schema.account, verification: schema.verification },
  }),
  // Unexpected errors reach authRequestHandler, which logs them scrubbed, instead of Better Auth printing them whole.
  onAPIError: { throw: true },
  // Better Auth's own messages go through our log, so its errors are scrubbed like ours.
  logger: {
    log: (level, message, ...args) => {
      const err = args.find((arg) => arg instanceof Error);
      logger[level](err ? { err } : {}, scrub(message));
    },
  },
  emailAndPassword: {
    enabled: true,
    minPasswordLength: 8,
    maxPasswordLength: 128,
    // A reset password ends every session of the account, at once (sessions are looked up on every request).
    revokeSessionsOnPasswordReset: true,
    // /forgot-password: the link works once (Better Auth spends the token with the reset) and for an hour.
    resetPasswordTokenExpiresIn: 60 * 60,
    sendResetPassword: async ({ user, url }) => {
      // The same reset link finishes a sign-up over an unconfirmed account (onExistingUserSignUp): its email says so.
      const finishing = new URL(url).searchParams.get("callbackURL") === FINISH_SIGN_UP_PATH;
      const template = finishing ? "finish-sign-up" : "reset-password";
      // Sent after the response: an unknown address (no email at all) is answered as fast as a registered one.
      runAfterResponse(async () => {
        await sendEmail(db, { to: user.email, template, props: { name: user.name, url } });
      });
    },
    onPasswordReset: async ({ user }) => {
      // Following the emailed link proved the address, and the reset ended every session a squatter might have held.
      if (!user.emailVerified) {
        await markEmailVerified(user.id);
        return sendWelcomeEmail(user);
      }
      await sendEmail(db, {
        to: user.email,
        template: "password-changed",
        props: { name: user.name, accountUrl: `${env.appUrl}/account` },
      });
    },
    // Unconfirmed cooks may sign in with their password and draft; publishing and Checkout wait for the
    // confirmed address (lib/verified-email.ts), and the dashboard offers to resend the link.
    requireEmailVerification: false,
    // Sign-up answers alike for a new and a registered address, so it cannot tell anyone which addresses have
    // accounts: it never signs in (the link we email does), and the owner of an existing one gets an email instead.
    autoSignIn: false,
    onExistingUserSignUp: async ({ user }) => {
      // Signed up before but never confirmed: that first password may be a squatter's, who can sign in with it.
      // The owner chooses the password instead (a reset link): it confirms the address and ends every session.
      if (!user.emailVerified) {
        await auth.api.requestPasswordReset({ body: { email: user.email, redirectTo: FINISH_SIGN_UP_PATH } });
        return;
      }
      await sendEmail(db, {
        to: user.email,
        template: "account-exists",
        props: { name: user.name, signInUrl: `${env.appUrl}/sign-in` },
      });
    },
  },
  emailVerification: {
    sendOnSignUp: true,
    // The link in the email signs the new cook in, so confirming is the last step of signing up.
    autoSignInAfterVerification: true,
    sendVerificationEmail: async ({ user, url, token }) => {
      // The same hook confirms a new address during an email change (/account): that email says so.
      const template = isEmailChange(token) ? "verify-new-email" : "verify-email";
      await sendEmail(db, { to: user.email, template, props: { name: user.name, url } });
    },
    afterEmailVerification: async (user, request) => {
      if (!isEmailChange(request && new URL(request.url).searchParams.get("token"))) await sendWelcomeEmail(user);
    },
  },
  user: {
    // Changing the address of a confirmed account takes two links: one to the current address approves the change
    // (a stolen session alone cannot move the account), then one to the new address confirms it.
    changeEmail: {
      enabled: true,
      sendChangeEmailConfirmation: async ({ user, newEmail, url }) => {
        await sendEmail(db, {
          to: user.email,
          template: "email-change-requested",
          props: { name: user.name, newEmail, url },
        });
      },
    },
  },
  // OAuth sign-in, each provider only when its id and secret are set (lib/env.ts); callbacks are
  // /api/auth/callback/github and /api/auth/callback/google (docs/accounts.md lists them per stack).
  socialProviders: {
    ...(env.oauth.github && { github: env.oauth.github }),
    ...(env.oauth.google && { google: env.oauth.google }),
  },
  account: {
    accountLinking: {
      enabled: true,
      // A provider's sign-in joins the account with the same address only when both sides proved it: the provider
      // says it is verified (no provider is trusted without that), and our user confirmed it, so an unconfirmed
      // account, whose password may be a squatter's, is never joined to the owner's GitHub or Google.
      trustedProviders: [],
      requireLocalEmailVerified: true,
    },
  },
  verification: {
    // Reset tokens are stored hashed: someone who can read the database cannot take over an account with a pending reset.
    storeIdentifier: { default: "plain", overrides: { "reset-password:": "hashed" } },
  },
  session: {
    // No cookie cache: every request looks its session up (one indexed query), so revoking a session, resetting a
    // password or deleting the account ends the affected sessions at once. A cached session lives in the browser's
    // own cookie, where the server cannot take it back: it kept a deleted user's cookie working for 5 minutes.
    cookieCache: { enabled: false },
  },
  // Our limiter (lib/ratelimit.ts) instead of Better Auth's own, one mechanism for the whole app: shared through
  // Upstash when configured, and keyed on the account being signed into, which no header can change.
  rateLimit: { enabled: false },
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      refuseOffSiteCallbacks(ctx.body, ctx.query);
      // Server-side calls without a request (scripts, tests) are not limited.
      if (!ctx.headers || !ACCOUNT_PATHS.has(ctx.path)) return;
      const result = await limitAccountAttempt(ctx.body?.email, ctx.headers);
      runAfterResponse(async () => void (await result.pending));
      if (!result.success) {
        const seconds = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000));
        throw new APIError("TOO_MANY_REQUESTS", {
          message: `Too many attempts. Please try again in ${seconds} seconds.`,
        });
      }
    }),
  },
  databaseHooks: {
    user: {
      create: {
        after: async (user) => {
          await trackProductEvent(user.id, "user signed up");
          // A magic-link account starts confirmed; a password account is welcomed once its address is (above).
          if (user.emailVerified) await sendWelcomeEmail(user);
        },
      },
    },
  },
  plugins: [
    magicLink({
      expiresIn: 5 * 60,
      // The verification table keeps only a hash. (The email itself, link included, is kept in
      // `emails` like every email; the link works once and expires in 5 minutes.)
      storeToken: "hashed",
      sendMagicLink: async ({ email, url }) => {
        try {
          await sendEmail(db, { to: email, template: "magic-link", props: { url } });
        } catch (error) {
          // The database error quotes the insert's parameters, the link included: log it scrubbed, pass on only that it failed.
          logger.error({ err: error }, "magic-link email not stored");
          throw new Error("magic-link email not stored");
        }
      },
    }),
    // nextCookies lets Server Actions that call auth.api.* set the session cookie. Keep it last.
    nextCookies(),
  ],
});

/** Whether a verification token (Better Auth's signed JWT) confirms a changed address rather than a new account's. */
function isEmailChange(token: string | null | undefined): boolean {
  if (!token) return false;
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    return claims.requestType === "change-email-verification";
  } catch {
    return false;
  }
}

/** Marks the address confirmed (a no-op when it already was). */
async function markEmailVerified(userId: string) {
  await db
    .update(schema.user)
    .set({ emailVerified: true, updatedAt: new Date() })
    .where(and(eq(schema.user.id, userId), eq(schema.user.emailVerified, false)));
}

/** The welcome email, through the pipeline; a failure to queue it never fails the sign-up. */
async function sendWelcomeEmail(user: { id: string; name: string; email: string }) {
  try {
    await sendEmail(db, {
      to: user.email,
      template: "welcome",
      props: { name: user.name, dashboardUrl: `${env.appUrl}/dashboard` },
    });
  } catch (error) {
    logger.error({ err: error, userId: user.id }, "welcome email not queued");
  }
}

/**
 * How long a password-reset request takes to answer at least, here and in /forgot-password's action: a registered
 * address (a token stored) and an unknown one (nothing stored) then answer alike, in words and in time.
 */
export const PASSWORD_RESET_ANSWER_MS = 400;

/** The largest body /api/auth/* reads: its JSON bodies (email, password, name, callback) fit in a few KiB. */
export const AUTH_MAX_BODY_BYTES = 16 * 1024;

/**
 * Better Auth's HTTP API, as app/api/auth/[...all] serves it: bodies over a few
 * KiB get 413 unread, and a failure while the database is down is a 503 a client
 * may retry, not a 500.
 */
export const authRequestHandler = withBodyLimit(AUTH_MAX_BODY_BYTES, async (req) => {
  const answerAt = Date.now() + PASSWORD_RESET_ANSWER_MS;
  const isResetRequest = new URL(req.url).pathname.endsWith("/request-password-reset");
  let response: Response;
  try {
    response = await auth.handler(req);
  } catch (error) {
    logger.error({ err: error, path: new URL(req.url).pathname }, "auth request failed");
    response = Response.json({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong." }, { status: 500 });
  }
  // A registered address costs Better Auth a stored token (about 5 ms against 2 ms measured): answer both at one pace.
  if (isResetRequest) await waitUntil(answerAt);
  if (response.status < 500) return response;
  const unavailable = await whyAuthUnavailable();
  if (!unavailable) return response;
  return Response.json(
    { code: "SERVICE_UNAVAILABLE", message: unavailable },
    { status: 503, headers: { "Retry-After": "30" } },
  );
});

/**
 * After an unexpected failure: what to tell the person, when the database is
 * the cause (down, or behind the code), instead of a raw query error; null when
 * it answers and is migrated, so the failure is a bug to report.
 */
export async function whyAuthUnavailable(): Promise<string | null> {
  switch (await databaseStatus(db)) {
    case "ok":
      return null;
    case "migrations-pending":
      return "Accounts are unavailable: the database is not migrated yet. Run `npm run db:migrate`, then try again.";
    case "unavailable":
      return "Sign-in is unavailable for a moment: the database did not answer. Please try again shortly.";
  }
}

/** Requests that name an account by email: password guessing, sign-up and email floods. */
const ACCOUNT_PATHS = new Set([
  "/sign-in/email",
  "/sign-up/email",
  "/sign-in/magic-link",
  "/request-password-reset",
  "/send-verification-email",
]);

/**
 * One limit per email address, one per client IP when TRUST_PROXY says how to find it, and a
 * ceiling for all accounts together, whether the request comes through our Server Actions or
 * straight to /api/auth.
 */
function limitAccountAttempt(email: unknown, headers: Headers) {
  const ip = clientIp(headers);
  const checks: [RateLimiter, string][] = [[limiters.authGlobal, "all"]];
  if (typeof email === "string") checks.push([limiters.auth, emailKey(email)]);
  if (ip) checks.push([limiters.auth, `ip:${ip}`]);
  return limitAll(checks);
}

/** Every parameter through which a Better Auth flow redirects the browser afterwards. */
const CALLBACK_FIELDS = ["callbackURL", "newUserCallbackURL", "errorCallbackURL", "redirectTo"];

// Better Auth checks callbacks against trusted origins; ours is stricter and the same for every flow.
function refuseOffSiteCallbacks(...sources: unknown[]) {
  for (const source of sources) {
    if (typeof source !== "object" || source === null) continue;
    for (const field of CALLBACK_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (value !== undefined && safeReturnPath(value) !== value) {
        throw new APIError("FORBIDDEN", {
          code: "INVALID_CALLBACK_URL",
          message: "Callback URLs must be paths on this site.",
        });
      }
    }
  }
}

/** The OAuth providers whose variables are set: /sign-in and /sign-up show a button for each. */
export const configuredOAuthProviders: OAuthProvider[] = oauthProviders.filter((provider) => env.oauth[provider]);

export type Session = typeof auth.$Infer.Session;
export type SessionUser = Session["user"];

/**
 * The current session, or null. Cached per request, so a page and the
 * actions it renders ask the database once.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const session = await auth.api.getSession({ headers: await headers() });
  if (session) {
    noteRequestUser(session.user.id);
    // "Last seen" on /account: written after the response, and only when it is more than a few minutes old.
    if (Date.now() - session.session.updatedAt.getTime() > LAST_SEEN_PRECISION_MS) {
      const sessionId = session.session.id;
      runAfterResponse(() => markSessionSeen(db, sessionId));
    }
  }
  return session;
});

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(next = "/dashboard"): Promise<SessionUser> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  return session.user;
}
