import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { schema } from "@/lib/db";
import { teamPermissions, type TeamPermission } from "./permissions";

const { member } = schema;

export { can, teamPermissions, teamRoles, type TeamPermission, type TeamRole } from "./permissions";

/**
 * SQL that holds when `userId` is a member of the team in `organizationId` (a column or a value)
 * with a role that has `permission`: the authorization that goes into the very statement that does
 * the work, so a role changed or a member removed a moment ago is refused by that statement.
 */
export function memberMay(organizationId: AnyPgColumn | string, userId: string, permission: TeamPermission): SQL {
  const roles = [...teamPermissions[permission]];
  return sql`exists (select 1 from ${member} where ${and(
    eq(member.organizationId, organizationId as string),
    eq(member.userId, userId),
    inArray(member.role, roles),
  )})`;
}

/**
 * SQL over a `recipes` row: `userId` may change it, as its author with write access or as a member
 * who manages the team's recipes. Recipe writes and photo uploads put it in the statement that acts.
 */
export function mayChangeRecipe(userId: string): SQL {
  const { recipes } = schema;
  return or(
    and(eq(recipes.createdBy, userId), memberMay(recipes.organizationId, userId, "recipes:write")),
    memberMay(recipes.organizationId, userId, "recipes:manage"),
  )!;
}
