import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, memberAc, ownerAc } from "better-auth/plugins/organization/access";

/**
 * The organization plugin's view of the team roles, which the API key plugin consults before it
 * makes a team's key: owners and admins hold `apiKey`, as `apiKeys:manage` in lib/teams/permissions.ts
 * says. (lib/teams checks every other team permission itself; the plugin's own endpoints are off.)
 * All three roles are listed: a role left out would get no permissions at all.
 */
const statements = { ...defaultStatements, apiKey: ["create", "read", "update", "delete"] } as const;

export const teamAccessControl = createAccessControl(statements);

export const teamRoleGrants = {
  owner: teamAccessControl.newRole({ ...ownerAc.statements, apiKey: ["create", "read", "update", "delete"] }),
  admin: teamAccessControl.newRole({ ...adminAc.statements, apiKey: ["create", "read", "update", "delete"] }),
  member: teamAccessControl.newRole({ ...memberAc.statements }),
};
