import { z } from "zod";

/**
 * What an API key may do. A key holds any of these; each route names the one it needs (403 without
 * it). Stored the way the API key plugin stores permissions: `{"recipes":["read","write"]}`.
 */
export const apiScopes = ["recipes:read", "recipes:write", "webhooks:write", "audit:read"] as const;

export type ApiScope = (typeof apiScopes)[number];

export const apiScopeDescriptions: Record<ApiScope, string> = {
  "recipes:read": "List and read the team's recipes.",
  "recipes:write": "Create, change, publish and delete recipes.",
  "webhooks:write": "Manage the team's webhook endpoints.",
  "audit:read": "Read and export the team's audit log.",
};

export function permissionsFromScopes(scopes: readonly ApiScope[]): Record<string, string[]> {
  const permissions: Record<string, string[]> = {};
  for (const scope of scopes) {
    const [resource, action] = scope.split(":") as [string, string];
    (permissions[resource] ??= []).push(action);
  }
  return permissions;
}

const storedPermissions = z.record(z.string(), z.array(z.string()));

/** The scopes in a stored permissions value; anything unknown (or unreadable) grants nothing. */
export function scopesFromPermissions(stored: string | null): ApiScope[] {
  if (!stored) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [];
  }
  const permissions = storedPermissions.safeParse(parsed);
  if (!permissions.success) return [];
  const granted = Object.entries(permissions.data).flatMap(([resource, actions]) =>
    actions.map((action) => `${resource}:${action}`),
  );
  return apiScopes.filter((scope) => granted.includes(scope));
}
