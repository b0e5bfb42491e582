import { z } from "zod";
import { teamRef } from "@/lib/teams/schema";
import { apiScopes } from "./scopes";

// The API keys page's forms (client components import this file; the Server Actions parse with it).

/** Each scope is its own checkbox, named `scope:<scope>`. */
export const scopeField = (scope: (typeof apiScopes)[number]) => `scope:${scope}`;

export const expiryChoices = ["30", "90", "365", "never"] as const;

export const createApiKeyInput = teamRef
  .extend({
    name: z
      .string()
      .trim()
      .min(1, { error: "Name the key after what uses it (e.g. “Zapier”)." })
      .max(32, { error: "Keep the name under 32 characters." }),
    expires: z.enum(expiryChoices, { error: "Choose when the key expires." }).default("90"),
    ...Object.fromEntries(apiScopes.map((scope) => [scopeField(scope), z.literal("on").optional()])),
  })
  .transform(({ teamId, name, expires, ...checked }, ctx) => {
    const scopes = apiScopes.filter((scope) => (checked as Record<string, unknown>)[scopeField(scope)] === "on");
    if (scopes.length === 0) {
      ctx.addIssue({ code: "custom", path: ["scopes"], message: "Choose at least one scope." });
      return z.NEVER;
    }
    return { teamId, name, scopes, expiresInDays: expires === "never" ? null : Number(expires) };
  });

export const apiKeyRef = teamRef.extend({ keyId: z.string().min(1) });
