import type { TeamRole } from "@/lib/db/schema";

export { teamRoles, type TeamRole } from "@/lib/db/schema";

/**
 * What each role may do in its team. `owner`: billing, delete or transfer the team; `admin`:
 * members and invitations, API keys, webhooks, the audit log, publish or delete any recipe;
 * `member`: write and edit their own recipes, read the team's.
 */
export const teamPermissions = {
  /** Create recipes, and edit, publish or delete one's own. */
  "recipes:write": ["owner", "admin", "member"],
  /** Edit, publish or delete anyone's recipe. */
  "recipes:manage": ["owner", "admin"],
  /** Invite, remove and change the role of members (owners are the owner's to change). */
  "members:manage": ["owner", "admin"],
  "team:rename": ["owner", "admin"],
  "team:delete": ["owner"],
  "team:transfer": ["owner"],
  "billing:manage": ["owner"],
  /** Create, list and revoke the team's API keys. */
  "apiKeys:manage": ["owner", "admin"],
  /** Add, change, test and remove the team's webhook endpoints; see their deliveries and replay them. */
  "webhooks:manage": ["owner", "admin"],
  /** Read, filter and export the team's audit log. */
  "audit:read": ["owner", "admin"],
} as const satisfies Record<string, readonly TeamRole[]>;

export type TeamPermission = keyof typeof teamPermissions;

export function can(role: TeamRole, permission: TeamPermission): boolean {
  return (teamPermissions[permission] as readonly TeamRole[]).includes(role);
}
