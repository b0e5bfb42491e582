import "server-only";

/**
 * The admin area (/admin): operators (lib/auth/operators.ts: ADMIN_EMAILS and a confirmed address) find users and
 * teams, ban and unban, impersonate for at most an hour, and read the system's health. `guard.ts` is the 404 every
 * /admin page and action starts with; docs/admin.md explains the whole.
 */
export { currentOperator, requireOperator, validatedOperatorAction, type Operator } from "./guard";
export { ADMIN_PAGE_SIZE, searchTeams, searchUsers, teamDetail, userDetail } from "./directory";
export { banUser, unbanUser } from "./ban";
export { startImpersonating } from "./impersonation";
export { HEALTH_LIST_LIMIT, startOfUtcDay, systemHealth, type SystemHealth } from "./health";
