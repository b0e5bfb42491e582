/**
 * Every action the audit log records, by area. An action names what happened to what, in the past
 * tense; docs/audit.md lists who writes each and how. Adding one: add it here, record it in the
 * change's transaction with `recordAudit`, and add it to the docs.
 */
export const auditActions = [
  // Account (null team: the account's own chain)
  "account.signed_in",
  "account.signed_out",
  "account.password_changed",
  "account.email_changed",
  "account.sessions_revoked",
  "account.deleted",
  // Teams
  "team.created",
  "team.member_invited",
  "team.member_joined",
  "team.member_removed",
  "team.member_role_changed",
  "team.ownership_transferred",
  // Billing (the Stripe webhook: the provider is the actor)
  "billing.plan_changed",
  "billing.seats_changed",
  // Recipes
  "recipe.created",
  "recipe.published",
  "recipe.deleted",
  // API keys
  "api_key.created",
  "api_key.revoked",
  // Outbound webhook endpoints
  "webhook_endpoint.created",
  "webhook_endpoint.secret_rotated",
  "webhook_endpoint.disabled",
  // Operators (the admin area)
  "operator.user_banned",
  "operator.user_unbanned",
  "operator.impersonation_started",
  "operator.impersonation_stopped",
] as const;

export type AuditAction = (typeof auditActions)[number];

export const isAuditAction = (value: string): value is AuditAction =>
  (auditActions as readonly string[]).includes(value);
