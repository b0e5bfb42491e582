import "server-only";

/**
 * Better Auth endpoints this app does not serve over HTTP (Better Auth's `disabledPaths`: exact,
 * case-sensitive paths; they answer 404). The app reaches accounts through its own pages: /account's
 * Server Actions call `auth.api.*` on the server, which `disabledPaths` does not affect, and list
 * sessions by id with our own query (lib/account/sessions.ts). Served over HTTP, these would be a
 * second way in that skips the forms' validation, limits and notices, and `/list-sessions` would hand
 * every session's token to whoever holds one of them. What stays: sign-up and the sign-in flows, the
 * links we email (confirmation, reset, magic link), OAuth callbacks, `/get-session` (the header's
 * account links) and sign-out.
 */
export const UNSERVED_AUTH_PATHS = [
  "/list-sessions",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  "/update-session",
  "/verify-password",
  "/change-password",
  "/update-user",
  "/change-email",
  "/delete-user",
  "/delete-user/callback",
  "/list-accounts",
  "/link-social",
  "/unlink-account",
  "/account-info",
  "/get-access-token",
  "/refresh-token",
];
