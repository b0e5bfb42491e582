import "server-only";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins/admin";
import { magicLink } from "better-auth/plugins/magic-link";
import { organization } from "better-auth/plugins/organization";
import { apiKey } from "@better-auth/api-key";
import { env } from "@/lib/core/env";
import { logger, scrub } from "@/lib/core/logger";
import { db, schema } from "@/lib/db";
import { sendEmail } from "@/lib/email";
import { runAfterResponse } from "@/lib/jobs/after";
import { trackProductEvent } from "@/lib/observability/analytics";
import { createPersonalTeam } from "@/lib/teams/teams";
import { announceSessionEnded } from "@/lib/realtime";
import { recordAccountEvent, signInMethod } from "./audit";
import { refuseOffSiteCallbacks } from "./callbacks";
import {
  FINISH_SIGN_UP_PATH,
  emailTokenClaims,
  isEmailChange,
  markEmailVerified,
  sendPasswordChangedEmail,
  sendWelcomeEmail,
} from "./emails";
import { UNSERVED_AUTH_PATHS } from "./endpoints";
import { ACCOUNT_PATHS, limitAccountAttempt, limitPasswordCheckInAuth, PASSWORD_CHECK_PATHS } from "./limits";
import { afterPasswordChange, resetLinkStorage, voidResetLinks } from "./password";
import { checkProfileFields } from "./profile";
import { oauthProviders, PASSWORD_LENGTH, type OAuthProvider } from "./schema";
import { teamAccessControl, teamRoleGrants } from "./team-access";
import { signedInHintFor } from "./signed-in-hint";
import {
  BANNED_MESSAGE,
  IMPERSONATION_MAX_SECONDS,
  guardOperatorEndpoint,
  onSessionCreated,
  onSessionDeleted,
} from "./operator-hooks";

/** What the admin plugin adds to a user: never in sign-up's answer (see the after hook). */
const ADMIN_PLUGIN_USER_FIELDS = new Set(["role", "banned", "banReason", "banExpires"]);

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
    schema: {
      user: schema.user,
      session: schema.session,
      account: schema.account,
      verification: schema.verification,
      organization: schema.organization,
      member: schema.member,
      invitation: schema.invitation,
      apikey: schema.apikey,
    },
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
    minPasswordLength: PASSWORD_LENGTH.min,
    maxPasswordLength: PASSWORD_LENGTH.max,
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
      await recordAccountEvent(user.id, "account.password_changed", { via: "reset-link" });
      // The link just used is spent; any other the account was sent must not set another password after this one.
      await voidResetLinks(user.id);
      // Following the emailed link proved the address, and the reset ended every session a squatter might have held.
      if (!user.emailVerified) {
        await markEmailVerified(user.id);
        return sendWelcomeEmail(user);
      }
      await sendPasswordChangedEmail(user);
    },
    // Unconfirmed cooks may sign in with their password and draft; publishing and Checkout wait for the
    // confirmed address (lib/auth/verified-email.ts), and the dashboard offers to resend the link.
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
  // OAuth sign-in, each provider only when its id and secret are set (lib/core/env.ts); callbacks are
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
    storeIdentifier: { default: "plain", overrides: resetLinkStorage },
  },
  session: {
    // No cookie cache: every request looks its session up (one indexed query), so revoking a session, resetting a
    // password or deleting the account ends the affected sessions at once. A cached session lives in the browser's
    // own cookie, where the server cannot take it back: it kept a deleted user's cookie working for 5 minutes.
    cookieCache: { enabled: false },
  },
  // Our limiter (lib/ratelimit/rules.ts) instead of Better Auth's own, one mechanism for the whole app: shared through
  // Upstash when configured, and keyed on the account being signed into, which no header can change.
  rateLimit: { enabled: false },
  // Endpoints the app does not use answer 404 over HTTP (lib/auth/endpoints.ts says why each).
  disabledPaths: UNSERVED_AUTH_PATHS,
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      // Teams change through lib/teams (one transaction with its seats and events): the plugin's endpoints are off.
      if (ctx.path.startsWith("/organization/")) throw new APIError("NOT_FOUND");
      // API keys are made and revoked on the team's page (lib/api/keys.ts calls the plugin from the server).
      if (ctx.path.startsWith("/api-key/") && ctx.request) throw new APIError("NOT_FOUND");
      // The admin plugin's endpoints: 404 over HTTP, and server-side only for an operator (lib/auth/operator-hooks.ts).
      if (ctx.path.startsWith("/admin/")) await guardOperatorEndpoint(ctx);
      refuseOffSiteCallbacks(ctx.body, ctx.query);
      // The forms' limits on the name (and no image) for every caller, auth.api included.
      const profile = checkProfileFields(ctx.path, ctx.body);
      // Server-side calls without a request (scripts, tests) are not limited.
      if (ctx.headers && ACCOUNT_PATHS.has(ctx.path)) await limitAccountAttempt(ctx.path, ctx.body?.email, ctx.headers);
      if (ctx.headers && PASSWORD_CHECK_PATHS.has(ctx.path)) {
        const session = await getSessionFromCtx(ctx);
        if (session) await limitPasswordCheckInAuth(session.user);
      }
      // A changed password signs out every other session, whatever the caller asked: whoever knew the old one is out.
      if (ctx.path === "/change-password") return { context: { body: { ...ctx.body, revokeOtherSessions: true } } };
      if (profile) return { context: profile };
    }),
    // Before nextCookies (a plugin's hook), which hands every cookie set here to a Server Action's response.
    after: createAuthMiddleware(async (ctx) => {
      const returned = ctx.context.returned as { user?: { id: string; name: string; email: string } } | undefined;
      if (ctx.path === "/change-password" && returned?.user && !isAPIError(returned)) {
        await recordAccountEvent(returned.user.id, "account.password_changed", { via: "account-page" });
        await afterPasswordChange(returned.user);
      }
      // Sign-up answers a registered address with a made-up user; the admin plugin's fields (a new account's
      // role is "user", the made-up one's null) would tell the two apart, so neither answer carries them.
      if (ctx.path === "/sign-up/email" && returned?.user && !isAPIError(returned)) {
        const user = Object.entries(returned.user).filter(([field]) => !ADMIN_PLUGIN_USER_FIELDS.has(field));
        return ctx.json({ ...returned, user: Object.fromEntries(user) });
      }
      const sessionCookie = ctx.context.authCookies.sessionToken;
      const hint = signedInHintFor(ctx.context.responseHeaders, {
        sessionCookie: sessionCookie.name,
        sessionMaxAge: ctx.context.sessionConfig.expiresIn,
        secure: Boolean(sessionCookie.attributes.secure),
      });
      if (hint) ctx.setCookie(hint.name, hint.value, hint.options);
    }),
  },
  databaseHooks: {
    session: {
      // The audit log's sign-ins: every new session but a password change's fresh one and an impersonation, which
      // is recorded as the operator's action (lib/auth/operator-hooks.ts).
      create: {
        after: async (started, ctx) => {
          if (started.impersonatedBy) return onSessionCreated(started);
          const method = signInMethod(ctx?.path);
          if (method) await recordAccountEvent(started.userId, "account.signed_in", { method });
        },
      },
      // Every way Better Auth ends a session (sign-out, a reset, a password change, revocation): every server
      // closes the event streams it opened (lib/realtime/hub.ts). Our own deletions announce it themselves.
      // An impersonation's end (the stop button, signing out, the hour running out) is the operator's action, recorded
      // as such (lib/auth/operator-hooks.ts), not as the user's sign-out.
      delete: {
        after: async (ended, ctx) => {
          await announceSessionEnded(db, ended.id);
          if (ended.impersonatedBy) await onSessionDeleted(ended);
          else if (ctx?.path === "/sign-out") await recordAccountEvent(ended.userId, "account.signed_out");
        },
      },
    },
    user: {
      update: {
        // The new address is the account's once its link is followed (or at once, for an unconfirmed account).
        after: async (changed, ctx) => {
          const claims = ctx?.path === "/verify-email" ? emailTokenClaims(ctx.query?.token) : {};
          const confirmed = claims.requestType === "change-email-verification" && claims.updateTo === changed.email;
          const direct = ctx?.path === "/change-email" && ctx.body?.newEmail === changed.email;
          if (confirmed || direct) await recordAccountEvent(changed.id, "account.email_changed");
        },
      },
      create: {
        after: async (user) => {
          // Everyone cooks in a team; their own is made with the account.
          await createPersonalTeam(db, user);
          await trackProductEvent(user.id, "user signed up");
          // A magic-link account starts confirmed; a password account is welcomed once its address is (above).
          if (user.emailVerified) await sendWelcomeEmail(user);
        },
      },
    },
  },
  plugins: [
    // Its tables hold teams, members and invitations; lib/teams does the work (its endpoints are off, above).
    organization({
      invitationExpiresIn: 48 * 60 * 60,
      requireEmailVerificationOnInvitation: true,
      // The API key plugin asks the team's roles whether a member may make a key (owners and admins may).
      ac: teamAccessControl,
      roles: teamRoleGrants,
    }),
    // Keys owned by a team: generated, hashed (SHA-256) and stored by the plugin; checked per request by
    // lib/api/keys.ts in one query, and rate-limited by lib/ratelimit like everything else.
    apiKey({
      references: "organization",
      defaultPrefix: "rb_",
      startingCharactersConfig: { shouldStore: true, charactersLength: 9 },
      rateLimit: { enabled: false },
      keyExpiration: { defaultExpiresIn: null, minExpiresIn: 1, maxExpiresIn: 366 },
    }),
    // Operators (lib/auth/operators.ts: ADMIN_EMAILS and a confirmed address, not the role column) ban and impersonate
    // through /admin's Server Actions; the plugin refuses every new session of a banned account, whatever the sign-in
    // method, with BANNED_MESSAGE, and gives an impersonation session at most an hour. Its HTTP endpoints are off.
    admin({
      impersonationSessionDuration: IMPERSONATION_MAX_SECONDS,
      bannedUserMessage: BANNED_MESSAGE,
    }),
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

/** The OAuth providers whose variables are set: /sign-in and /sign-up show a button for each. */
export const configuredOAuthProviders: OAuthProvider[] = oauthProviders.filter((provider) => env.oauth[provider]);
